package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"straitwatch/ais"
)

// Benchmark corpus: 1,000,000 type 1 position reports of 100,000
// distinct vessels, each reporting every 10 s of tag-block time, plus a
// copy of every 10th message from a second receiver a few lines later (to
// be de-duplicated): 1.1 M lines, about 95 MB.
const (
	benchMessages = 1_000_000
	benchVessels  = 100_000
	benchDupEvery = 10
)

// writeBenchCorpus writes the corpus to a temporary file.
func writeBenchCorpus(b *testing.B) (string, []byte, int) {
	b.Helper()
	data, lines := syntheticCorpus(b, benchMessages, benchVessels, benchDupEvery)
	path := filepath.Join(b.TempDir(), "corpus.nmea")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path, data, lines
}

// countSink discards batches, counting them.
type countSink struct{ fixes, statics int }

func (s *countSink) WriteBatch(_ context.Context, b *Batch) error {
	s.fixes += len(b.Fixes)
	s.statics += len(b.Statics)
	return nil
}

// BenchmarkPipeline measures file replay -> decode -> de-duplicate ->
// normalise -> batches into a discarding sink, in input messages per
// second (every decoded message, duplicates included) and distinct fixes
// per second. "decode-only" is ais.Reader over the same bytes in memory,
// for the ratio.
func BenchmarkPipeline(b *testing.B) {
	path, data, lines := writeBenchCorpus(b)
	b.Run("decode-only", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		cpu := cpuTime()
		for b.Loop() {
			r := ais.NewReader(bytes.NewReader(data), ais.ReaderConfig{})
			for r.Scan() {
			}
		}
		reportCPU(b, cpuTime()-cpu, uint64(lines)*uint64(b.N))
		b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		name := "workers=" + strconv.Itoa(workers)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var msgs, fixes uint64
			cpu := cpuTime()
			for b.Loop() {
				sink := &countSink{}
				p, err := NewPipeline(PipelineConfig{}, []SourceConfig{{Name: "bench", Kind: KindFile, Path: path, Workers: workers}}, sink)
				if err != nil {
					b.Fatal(err)
				}
				if err := p.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
				h := p.Health()[0]
				if h.Messages != uint64(lines) || h.Shed != 0 || h.Duplicates < benchMessages/benchDupEvery {
					b.Fatalf("messages %d of %d lines, shed %d, duplicates %d", h.Messages, lines, h.Shed, h.Duplicates)
				}
				msgs += h.Messages
				fixes += uint64(sink.fixes)
			}
			reportCPU(b, cpuTime()-cpu, msgs)
			b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(float64(fixes)/b.Elapsed().Seconds(), "fixes/s")
		})
	}
}

// BenchmarkFramer measures one framer alone over the benchmark corpus in
// memory: lines, parsing, assembly, decoding and track.FromMessage into
// blocks, which are recycled.
func BenchmarkFramer(b *testing.B) {
	data, lines := syntheticCorpus(b, benchMessages/10, benchVessels/10, benchDupEvery)
	p, err := NewPipeline(PipelineConfig{}, []SourceConfig{{Name: "bench", Kind: KindUDP, Address: ":0"}}, &countSink{})
	if err != nil {
		b.Fatal(err)
	}
	s := p.sources[0]
	f := s.newFramer(p.putBlock)
	f.setArrival(testTime)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		f.feed(data)
		f.finish()
		f.flush()
	}
	reportCPU(b, cpuTime()-cpu, uint64(lines)*uint64(b.N))
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// reportCPU reports the process CPU time (all cores, GC included) per
// message: on a machine shared with other work it is steadier than
// wall-clock throughput, and 2e9 / cpu-ns/msg bounds what two dedicated
// cores would do.
func reportCPU(b *testing.B, cpu time.Duration, msgs uint64) {
	if cpu > 0 && msgs > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(msgs), "cpu-ns/msg")
	}
}
