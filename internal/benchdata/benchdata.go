// Package benchdata writes the synthetic feeds that the ingest benchmarks
// replay: many distinct vessels, as real NMEA with tag blocks.
package benchdata

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"straitwatch/ais"
)

// mids are the flags of the benchmark's vessels: Iran, Oman, the UAE,
// Liberia and Panama. Their MMSIs are valid, so that identity rules do
// not fire on every vessel.
var mids = []uint32{422, 461, 470, 636, 352}

// WritePositions writes messages type 1 position reports of vessels
// distinct MMSIs in the seas around the Arabian peninsula and India
// (5-30N, 45-75E: about 0.04 vessels per square nautical mile at 100,000
// vessels, the density of a busy sea) to path, with tag-block
// times one millisecond apart ending at end. Each vessel keeps a course
// and speed from a random start, reporting in turn, so that tracks are
// plausible to the detectors.
func WritePositions(path string, messages, vessels int, end time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 1))
	type ship struct {
		lat, lon, dLat, dLon float64 // degrees, degrees per millisecond
		speed, course        int
	}
	ships := make([]ship, vessels)
	for i := range ships {
		sp := &ships[i]
		sp.lat, sp.lon = 5+25*r.Float64(), 45+30*r.Float64()
		sp.speed, sp.course = r.IntN(200), r.IntN(3600)
		kn := float64(sp.speed) / 10
		rad := float64(sp.course) / 10 * math.Pi / 180
		perMS := kn / 60 / 3600 / 1000 // degrees of latitude per millisecond
		sp.dLat, sp.dLon = perMS*math.Cos(rad), perMS*math.Sin(rad)/math.Cos(sp.lat*math.Pi/180)
	}
	t0 := end.Add(-time.Duration(messages) * time.Millisecond)
	var buf []byte
	for i := range messages {
		sp := &ships[i%vessels]
		lat, lon := sp.lat+sp.dLat*float64(i), sp.lon+sp.dLon*float64(i)
		v := i % vessels
		m := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: mids[v%len(mids)]*1_000_000 + uint32(v/len(mids))*7},
			Speed: ais.Speed(sp.speed), Course: ais.Course(sp.course), Heading: ais.Heading(sp.course / 10),
			Lat: int32(lat * 600000), Lon: int32(lon * 600000), Second: uint8(i % 60), Radio: uint32(i)}
		buf, err = ais.AppendSentences(buf[:0], m, ais.Framing{Time: t0.Add(time.Duration(i) * time.Millisecond)})
		if err != nil {
			return err
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
