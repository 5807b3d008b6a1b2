// Package benchdata writes the synthetic feeds that the ingest benchmarks
// replay: many distinct vessels, as real NMEA with tag blocks.
package benchdata

import (
	"bufio"
	"math/rand/v2"
	"os"
	"time"

	"straitwatch/ais"
)

// WritePositions writes messages type 1 position reports of vessels
// distinct MMSIs in the Strait of Hormuz region to path, with tag-block
// times one millisecond apart ending at end.
func WritePositions(path string, messages, vessels int, end time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 1))
	t0 := end.Add(-time.Duration(messages) * time.Millisecond)
	var buf []byte
	for i := range messages {
		m := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: 200000000 + uint32(i%vessels)*7},
			Speed: ais.Speed(r.IntN(200)), Course: ais.Course(r.IntN(3600)), Heading: ais.Heading(r.IntN(360)),
			Lat: int32((24 + 3*r.Float64()) * 600000), Lon: int32((54 + 5*r.Float64()) * 600000), Second: uint8(i % 60), Radio: uint32(i)}
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
