package detect_test

import (
	"context"
	"fmt"

	"straitwatch/internal/detect"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// Example shows how a pipeline sink drives the engine: Run once, then
// Process per batch (ingest.Batch's Fixes, Statics and Watermark map onto
// Input; safety texts need a field the pipeline does not have yet).
func Example() {
	zones, err := zone.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := detect.Preset("strait")
	if err != nil {
		fmt.Println(err)
		return
	}
	eng, err := detect.NewEngine(cfg, zones, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() { cancel(); <-done }()

	const t0 = 1767225600000 // 2026-01-01T00:00:00Z, UNIX ms
	sart := track.Fix{MMSI: 970010001, Time: t0, Lat: 26.3, Lon: 56.6, SOG: 0.5, COG: 0, Heading: -1, Status: 14, Class: track.ClassA}
	evs, err := eng.Process(ctx, &detect.Input{Fixes: []track.Fix{sart}, Watermark: t0})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range evs {
		fmt.Println(e.Type, e.State, e.Zone, e.Alarm, e.Confidence)
	}
	// Output:
	// distress open  true 1
}
