package ais

import (
	"bytes"
	"os"
	"testing"
)

// positionSentences are real position reports of each fast-path type.
var positionSentences = []struct {
	name, line string
}{
	{"type1", "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"},
	{"type3", "!AIVDM,1,1,,A,38Id705000rRVJhE7cl9n;160000,0*40"},
	{"type18", "!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C"},
	{"type19", "!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B"},
	{"type27", "!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41"},
}

// TestPositionZeroAlloc holds the hot path to its promise: parsing,
// assembling and decoding a position report allocates nothing.
func TestPositionZeroAlloc(t *testing.T) {
	for _, tc := range positionSentences {
		t.Run(tc.name, func(t *testing.T) {
			var (
				s   Sentence
				asm Assembler
				dec Decoder
			)
			line := []byte(tc.line)
			allocs := testing.AllocsPerRun(1000, func() {
				if err := ParseSentence(line, &s); err != nil {
					t.Fatal(err)
				}
				b, err := asm.Add(&s, zeroTime)
				if err != nil {
					t.Fatal(err)
				}
				m, err := dec.Decode(b)
				if err != nil {
					t.Fatal(err)
				}
				if _, _, ok := m.(Positioner).Position(); !ok {
					t.Fatalf("%s: no position", tc.line)
				}
			})
			if allocs != 0 {
				t.Errorf("%s: %.0f allocs per message, want 0", tc.line, allocs)
			}
		})
	}
}

// BenchmarkDecodePosition measures one sentence to a typed position report.
func BenchmarkDecodePosition(b *testing.B) {
	for _, tc := range positionSentences {
		b.Run(tc.name, func(b *testing.B) {
			var (
				s   Sentence
				asm Assembler
				dec Decoder
			)
			line := []byte(tc.line)
			b.ReportAllocs()
			for b.Loop() {
				_ = ParseSentence(line, &s)
				bits, _ := asm.Add(&s, zeroTime)
				_, _ = dec.Decode(bits)
			}
		})
	}
}

// BenchmarkReaderCorpus measures the whole decode path (lines, framing,
// assembly, decode, counting) over the real benchmark corpus in memory, in
// sentences per second.
func BenchmarkReaderCorpus(b *testing.B) {
	data, err := os.ReadFile("testdata/bench/corpus.nmea")
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Count(data, []byte{'\n'})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(data), ReaderConfig{})
		for r.Scan() {
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}
