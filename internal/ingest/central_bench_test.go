package ingest

import (
	"context"
	"testing"
)

// BenchmarkCentral measures the pipeline goroutine's share alone:
// watermarks, de-duplication, holding and batching of decoded blocks.
func BenchmarkCentral(b *testing.B) {
	data, lines := syntheticCorpus(b, benchMessages/10, benchVessels/10, benchDupEvery)
	sink := &countSink{}
	p, err := NewPipeline(PipelineConfig{Clock: fixedClock(testTime)}, []SourceConfig{{Name: "bench", Kind: KindUDP, Address: ":0"}}, sink)
	if err != nil {
		b.Fatal(err)
	}
	s := p.sources[0]
	var blocks []*block
	f := s.newFramer(func(bl *block) { bl.src = s; blocks = append(blocks, bl) })
	f.setArrival(testTime)
	f.feed(data)
	f.finish()
	f.flush()
	// Keep copies: process recycles blocks.
	master := make([]block, len(blocks))
	for i, bl := range blocks {
		master[i] = block{src: s, fixes: append([]fixRec(nil), bl.fixes...), others: bl.others, msgs: bl.msgs}
	}
	ctx := context.Background()
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		p.reset()
		for i := range master {
			bl := p.getBlock()
			bl.src = s
			bl.fixes = append(bl.fixes[:0], master[i].fixes...)
			bl.msgs = master[i].msgs
			p.now = testTime.UnixMilli()
			p.process(ctx, bl)
			p.low = p.lowWatermark()
			p.dd.expire(p.low, p.now)
			p.release(ctx, false)
		}
		p.flushAll(ctx)
	}
	reportCPU(b, cpuTime()-cpu, uint64(lines)*uint64(b.N))
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
