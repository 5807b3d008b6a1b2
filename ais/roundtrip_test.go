package ais

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestRandomRoundTrip is the property test: for random valid messages of
// every type, decode(encode(m)) == m and the encoding survives armouring.
func TestRandomRoundTrip(t *testing.T) {
	const perType = 2000
	r := rand.New(rand.NewPCG(1, 2))
	for typ := 1; typ <= 27; typ++ {
		t.Run(fmt.Sprintf("type%d", typ), func(t *testing.T) {
			var b, b2 Bits
			for i := range perType {
				m := Random(r, typ)
				if err := Encode(m, &b); err != nil {
					t.Fatalf("#%d Encode(%+v) = %v", i, m, err)
				}
				// Through the armour, as a receiver would see it.
				payload, fill := b.Armor(nil)
				b2.Reset()
				if err := b2.Unarmor(payload, fill); err != nil {
					t.Fatalf("#%d Unarmor(%q, %d) = %v", i, payload, fill, err)
				}
				if !b2.Equal(&b) {
					t.Fatalf("#%d armour round trip changed the bits of %q", i, payload)
				}
				got, err := Decode(&b2)
				if err != nil {
					t.Fatalf("#%d Decode(%q) = %v for %+v", i, payload, err, m)
				}
				if diff := cmp.Diff(m, got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("#%d Decode(Encode(m)) != m (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

// TestCorpusRoundTrip checks encode(decode(x)) == x on real payloads: every
// message of the benchmark corpus. Text padding is the one thing that may
// change (see decodeText), so payloads whose text fields were padded with
// spaces are compared after re-decoding instead.
func TestCorpusRoundTrip(t *testing.T) {
	f, err := os.Open("testdata/bench/corpus.nmea")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		asm              Assembler
		s                Sentence
		dec              Decoder
		enc              Bits
		exact, canonical int
		byType           [28]int
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if ParseSentence(sc.Bytes(), &s) != nil {
			continue
		}
		bits, err := asm.Add(&s, zeroTime)
		if err != nil || bits == nil {
			continue
		}
		orig := *bits
		m, err := dec.Decode(&orig)
		if err != nil {
			continue
		}
		typ := m.Head().Type
		byType[typ]++
		if err := Encode(m, &enc); err != nil {
			t.Errorf("Encode(type %d %+v) = %v", typ, m, err)
			continue
		}
		if enc.Equal(&orig) {
			exact++
			continue
		}
		// Not bit-identical: must be text padding only, so decoding the
		// re-encoding gives the same message.
		want := Clone(m)
		again, err := Decode(&enc)
		if err != nil {
			t.Errorf("Decode(Encode(type %d)) = %v", typ, err)
			continue
		}
		if diff := cmp.Diff(want, again, cmpopts.EquateEmpty()); diff != "" {
			p1, _ := orig.Armor(nil)
			p2, _ := enc.Armor(nil)
			t.Errorf("type %d %s re-encoded as %s (-want +got):\n%s", typ, p1, p2, diff)
			continue
		}
		canonical++
	}
	t.Logf("%d messages: %d bit-identical, %d identical after text canonicalisation; by type %v", exact+canonical, exact, canonical, byType)
	if exact == 0 {
		t.Fatal("no message decoded")
	}
}

// TestSentenceRoundTrip frames random messages of every type as sentences,
// some split over several and some with tag blocks, and reads them back.
func TestSentenceRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var (
		buf  []byte
		want []Message
	)
	base := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for i := range 3000 {
		m := Random(r, 1+i%27)
		f := Framing{Seq: i % 10, MaxPayload: 20 + r.IntN(41)}
		if i%2 == 0 {
			f.Time, f.Source, f.GroupID = base.Add(time.Duration(i)*time.Second), "rHormuz1", 1+i
		}
		if i%3 == 0 {
			f.Channel, f.Talker = 'B', "BS"
		}
		var err error
		if buf, err = AppendSentences(buf, m, f); err != nil {
			t.Fatalf("AppendSentences(%+v) = %v", m, err)
		}
		want = append(want, m)
	}
	rd := NewReader(bytes.NewReader(buf), ReaderConfig{OnReject: func(n uint64, line []byte, re Reason) {
		t.Errorf("line %d %q rejected: %v", n, line, re)
	}})
	i := 0
	for rd.Scan() {
		if i >= len(want) {
			t.Fatalf("more messages than written")
		}
		if diff := cmp.Diff(want[i], Clone(rd.Message()), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("message %d (-want +got):\n%s", i, diff)
		}
		if i%2 == 0 && !rd.Tag().Time.Equal(base.Add(time.Duration(i)*time.Second)) {
			t.Errorf("message %d: tag time %v", i, rd.Tag().Time)
		}
		i++
	}
	if i != len(want) {
		t.Errorf("read %d messages, wrote %d", i, len(want))
	}
}
