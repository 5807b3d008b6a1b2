package server

import (
	"github.com/prometheus/client_golang/prometheus"
)

// collector exposes the pipeline's, the table's and the store's counters
// at scrape time, read from their snapshots: nothing on the ingest path
// touches Prometheus.
type collector struct{ s *Server }

var (
	descSourceMessages = prometheus.NewDesc("straitwatch_source_messages_total", "Messages decoded by source.", []string{"source"}, nil)
	descSourceRejects  = prometheus.NewDesc("straitwatch_source_rejects_total", "Lines or messages rejected, by source and reason.", []string{"source", "reason"}, nil)
	descSourceShed     = prometheus.NewDesc("straitwatch_source_shed_total", "Messages dropped because the pipeline was behind (overload), by source.", []string{"source"}, nil)
	descSourceDups     = prometheus.NewDesc("straitwatch_source_duplicates_total", "Messages dropped as copies heard by another receiver, by source.", []string{"source"}, nil)
	descSourceConn     = prometheus.NewDesc("straitwatch_source_connected", "1 when the source is connected or listening.", []string{"source"}, nil)
	descSourceRate     = prometheus.NewDesc("straitwatch_source_messages_per_second", "Recent message rate by source.", []string{"source"}, nil)
	descSourceLast     = prometheus.NewDesc("straitwatch_source_last_message_seconds", "UNIX time of the source's last message.", []string{"source"}, nil)
	descVessels        = prometheus.NewDesc("straitwatch_vessels", "Vessels in the live table.", nil, nil)
	descTable          = prometheus.NewDesc("straitwatch_table_reports_total", "Reports the vessel table took, by outcome.", []string{"outcome"}, nil)
)

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSourceMessages, descSourceRejects, descSourceShed, descSourceDups, descSourceConn, descSourceRate, descSourceLast, descVessels, descTable} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	for _, h := range c.s.pipeline.Health() {
		name := h.Name
		ch <- prometheus.MustNewConstMetric(descSourceMessages, prometheus.CounterValue, float64(h.Messages), name)
		ch <- prometheus.MustNewConstMetric(descSourceShed, prometheus.CounterValue, float64(h.Shed), name)
		ch <- prometheus.MustNewConstMetric(descSourceDups, prometheus.CounterValue, float64(h.Duplicates), name)
		ch <- prometheus.MustNewConstMetric(descSourceRate, prometheus.GaugeValue, h.MessagesPerSecond, name)
		ch <- prometheus.MustNewConstMetric(descSourceLast, prometheus.GaugeValue, float64(h.LastMessage)/1000, name)
		conn := 0.0
		if h.Connected {
			conn = 1
		}
		ch <- prometheus.MustNewConstMetric(descSourceConn, prometheus.GaugeValue, conn, name)
		for reason, n := range h.Rejects {
			ch <- prometheus.MustNewConstMetric(descSourceRejects, prometheus.CounterValue, float64(n), name, reason)
		}
	}
	st := c.s.table.Stats()
	ch <- prometheus.MustNewConstMetric(descVessels, prometheus.GaugeValue, float64(st.Vessels))
	for _, o := range []struct {
		name string
		v    uint64
	}{{"fix", st.Fixes}, {"out_of_order", st.OutOfOrder}, {"static", st.Statics}, {"invalid", st.Invalid}, {"full", st.Full}, {"dropped", st.Dropped}} {
		ch <- prometheus.MustNewConstMetric(descTable, prometheus.CounterValue, float64(o.v), o.name)
	}
}
