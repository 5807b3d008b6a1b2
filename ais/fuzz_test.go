package ais

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// Seeds shared by the fuzzers: real sentences, tag blocks and broken lines.
var fuzzSeeds = []string{
	"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
	"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
	"!AIVDM,2,2,1,A,88888888880,2*25",
	`\s:rMT6214,t:marinetraffic,c:1699401684*4D\!AIVDM,1,1,,A,33` + "`d`" + `fEP00PCaVFMFM?I@gvf2D=rc@9,0*77`,
	`\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63`,
	`\g:2-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*34\!AIVDM,2,2,6,A,00000000008,2*2A`,
	`\c:1662052384123,s:FM112*00\!AIVDM,1,1,,B,KCQ9r=hrFUnH7P00,0*41`,
	"!AIVDO,1,1,,,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C",
	"!BSVDM,1,1,,B,4h3Ovk1udp6I9o>jPHEdjdW000S:,0*0C",
	"1630000000 !AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
	"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A,s22,d-107,T40.1,x1,r003669945,1166976026",
	"$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
	"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B",
	"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,7*4D",
	"!AIVDM,1,1,,A,15RTgt\x000PAso;90TKcjM8h6g208CQ,0*4A",
	"#comment",
	"",
}

// FuzzParseSentence: framing never panics, and what it accepts is
// consistent with what it returns.
func FuzzParseSentence(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var s Sentence
		err := ParseSentence(line, &s)
		if err != nil {
			var r Reason
			if !errors.As(err, &r) {
				t.Fatalf("ParseSentence(%q) = %v, not a Reason", line, err)
			}
			return
		}
		if s.Total < 1 || s.Total > 9 || s.Num < 1 || s.Num > s.Total {
			t.Fatalf("ParseSentence(%q): fragment %d of %d", line, s.Num, s.Total)
		}
		if s.Fill < 0 || s.Fill > 5 || len(s.Raw) > len(line) {
			t.Fatalf("ParseSentence(%q): fill %d, raw %d bytes", line, s.Fill, len(s.Raw))
		}
		// Re-framing the accepted fields gives a sentence that parses to
		// the same fields.
		out := AppendSentence(nil, string(s.Talker[:]), s.Own, s.Total, s.Num, s.Seq, s.Channel, s.Payload, s.Fill)
		var s2 Sentence
		if err := ParseSentence(out, &s2); err != nil {
			if errors.Is(err, ErrNotAIS) {
				return // e.g. payload with '*', or a talker with ','
			}
			t.Fatalf("ParseSentence(AppendSentence(%q)) = %v for %q", line, err, out)
		}
		if !bytes.Equal(s2.Payload, s.Payload) || s2.Fill != s.Fill || s2.Seq != s.Seq || s2.Channel != s.Channel {
			t.Fatalf("re-framed %q as %q: fields changed", line, out)
		}
	})
}

// FuzzTagBlock: tag blocks never panic, and a valid one re-parses the
// same.
func FuzzTagBlock(f *testing.F) {
	for _, s := range []string{
		"s:rMT6214,t:marinetraffic,c:1699401684*4D",
		"g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37",
		"c:1662052384123,s:FM112,n:12,r:456,d:X*00",
		"g:1-2--001,c:1326055296*3C",
		"c:abc*00",
		"*00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var tb TagBlock
		err := parseTagBlock(raw, &tb)
		if err != nil {
			var r Reason
			if !errors.As(err, &r) {
				t.Fatalf("parseTagBlock(%q) = %v, not a Reason", raw, err)
			}
			return
		}
		if g := tb.Group; g != (Group{}) && (g.Num < 1 || g.Num > g.Total) {
			t.Fatalf("parseTagBlock(%q): group %+v", raw, g)
		}
		// As part of a line it parses the same way.
		line := append(append(append([]byte{'\\'}, raw...), '\\'), fuzzSeeds[0]...)
		var s Sentence
		if err := ParseSentence(line, &s); err == nil && !s.Tag.Time.Equal(tb.Time) {
			t.Fatalf("ParseSentence(%q): time %v, want %v", line, s.Tag.Time, tb.Time)
		}
	})
}

// FuzzAssembler: any sequence of lines through the assembler never panics,
// stays within its bounds and accounts for every fragment.
func FuzzAssembler(f *testing.F) {
	f.Add([]byte(fuzzSeeds[1]+"\n"+fuzzSeeds[2]+"\n"+fuzzSeeds[0]), uint8(0))
	f.Add([]byte(fuzzSeeds[2]+"\n"+fuzzSeeds[1]+"\n"+fuzzSeeds[1]), uint8(1))
	f.Add([]byte(fuzzSeeds[4]+"\n"+fuzzSeeds[5]), uint8(2))
	f.Fuzz(func(t *testing.T, input []byte, maxPending uint8) {
		a := Assembler{MaxPending: int(maxPending%8) + 1, MaxAge: time.Second}
		var s Sentence
		now := time.Unix(0, 0)
		for line := range bytes.SplitSeq(input, []byte{'\n'}) {
			if ParseSentence(line, &s) != nil {
				continue
			}
			now = now.Add(300 * time.Millisecond)
			b, err := a.Add(&s, now)
			if err != nil && b != nil {
				t.Fatalf("Add(%q) returned bits and %v", line, err)
			}
			if b != nil && b.Len() > MaxBits {
				t.Fatalf("Add(%q): %d bits", line, b.Len())
			}
			if b != nil {
				if tag, ch := a.First(); ch != 0 && ch != 'A' && ch != 'B' && ch != '1' && ch != '2' || len(tag.Raw) > len(input) {
					t.Fatalf("Add(%q): first sentence channel %q, tag %q", line, ch, tag.Raw)
				}
			}
			if a.Pending() > a.maxPending() {
				t.Fatalf("%d pending, bound %d", a.Pending(), a.maxPending())
			}
			a.Expire(now)
		}
		a.Flush()
		if a.Pending() != 0 {
			t.Fatalf("%d pending after Flush", a.Pending())
		}
	})
}

// FuzzDecode: any payload decodes without panicking, and whatever decodes
// encodes to a payload that decodes to the same message.
func FuzzDecode(f *testing.F) {
	for _, p := range []string{
		"15RTgt0PAso;90TKcjM8h6g208CQ",
		"55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp888888888880",
		"85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs",
		"6h3Ovk1udp6I9o>jPHEdjdW000S:",
		"H52K>;h0`TpT@8LQ<0000000000",
		"KCQ9r=hrFUnH7P00",
		"E>jHC=c6:W2h22R`@1:WdP00000Opa@H?KTcP10888e?N0",
	} {
		f.Add([]byte(p), uint8(0))
	}
	f.Fuzz(func(t *testing.T, payload []byte, fill uint8) {
		var d Decoder
		m, err := d.DecodePayload(payload, int(fill%6))
		if err != nil {
			var r Reason
			if !errors.As(err, &r) {
				t.Fatalf("DecodePayload(%q) = %v, not a Reason", payload, err)
			}
			return
		}
		want := Clone(m)
		var b Bits
		if err := Encode(want, &b); err != nil {
			t.Fatalf("Encode(Decode(%q)) = %v", payload, err)
		}
		got, err := Decode(&b)
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(%q))) = %v", payload, err)
		}
		p1, _ := b.Armor(nil)
		var b2 Bits
		if err := Encode(got, &b2); err != nil || !b2.Equal(&b) {
			p2, _ := b2.Armor(nil)
			t.Fatalf("%q: re-encoding is not stable: %s then %s (%v)", payload, p1, p2, err)
		}
	})
}
