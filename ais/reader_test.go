package ais

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const goodLine = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"

// TestBadInput feeds each kind of bad line followed by a good one: the bad
// line is rejected with its typed reason and counted, and the good line
// after it still decodes.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name, line string
		want       Reason
	}{
		{"bad checksum", "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B", ErrChecksum},
		{"no checksum", "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0", ErrNoChecksum},
		{"truncated payload", "!AIVDM,1,1,,A,15RTgt0PAso;90TKc,0*44", ErrLength},
		{"over-long payload", "!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00KCQ9r=hrFUnH7P00,0*26", ErrLength},
		{"wrong fill bits", "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,7*4D", ErrFillBits},
		{"fill bits on first fragment", "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,2*1E", ErrFillBits},
		{"junk bytes", "Z#&%$@!!junk,,,*", ErrNotAIS},
		{"junk in payload", "!AIVDM,1,1,,A,15RTgt0P{so;90TKcjM8h6g208CQ,0*70", ErrPayloadChar},
		{"NUL byte", "!AIVDM,1,1,,A,15RTgt0P\x00so;90TKcjM8h6g208CQ,0*4A", ErrNUL},
		{"non-ASCII", "!AIVDM,1,1,,A,15RTgt0P\xc3\xa9so;90TKcjM8h6g208CQ,0*4A", ErrNotASCII},
		{"line over 82 characters", "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ15RTgt0PAso;90TKcjM8h6g208CQ15RTgt0PAso;90TK,0*27", ErrLineTooLong},
		{"stray fragment", "!AIVDM,2,2,3,B,88888888880,2*24", ErrStrayFragment},
		{"fragment out of range", "!AIVDM,2,3,3,B,88888888880,2*25", ErrFragment},
		{"bad channel", "!AIVDM,1,1,,C,15RTgt0PAso;90TKcjM8h6g208CQ,0*48", ErrChannel},
		{"too few fields", "!AIVDM,1,1,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*66", ErrFieldCount},
		{"too many fields", "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0,0*56", ErrFieldCount},
		{"other NMEA", "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47", ErrNotAIS},
		{"tag block checksum", `\s:rMT6214,c:1699401684*00\` + goodLine, ErrTagChecksum},
		{"tag block malformed", `\s:rMT6214,c:1699401684` + goodLine, ErrTagBlock},
		{"tag block bad group", `\g:1-2--001,c:1326055296*3C\` + goodLine, ErrTagBlock},
		{"unknown type", "!AIVDM,1,1,,A,o5RTgt0PAso;90TKcjM8h6g208CQ,0*14", ErrUnknownType},
		{"type 24 part 2", type24Part2(), ErrSubtype},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []Reason
			r := NewReader(strings.NewReader(tc.line+"\n"+goodLine+"\n"), ReaderConfig{
				OnReject: func(_ uint64, _ []byte, reason Reason) { got = append(got, reason) },
			})
			n := 0
			for r.Scan() {
				n++
				if mmsi := r.Message().Head().MMSI; mmsi != 371798000 {
					t.Errorf("decoded MMSI %d after %q, want the good line's 371798000", mmsi, tc.line)
				}
			}
			if n != 1 {
				t.Errorf("%q then a good line: %d messages, want 1", tc.line, n)
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("rejects of %q = %v, want [%v]", tc.line, got, tc.want)
			}
			if c := r.Stats().Rejected[tc.want]; c != 1 {
				t.Errorf("Stats().Rejected[%v] = %d, want 1", tc.want, c)
			}
		})
	}
}

// type24Part2 builds a type 24 sentence of the undefined part 2.
func type24Part2() string {
	var b Bits
	b.Append(24, 6)
	b.Append(0, 2)
	b.Append(338087471, 30)
	b.Append(2, 2)
	for b.Len() < 168 {
		b.Append(0, 8)
	}
	payload, fill := b.Armor(nil)
	return string(AppendSentence(nil, "AI", false, 1, 1, -1, 'A', payload, fill))
}

// TestIncompleteMultipart: a first fragment whose second never comes is
// counted as incomplete at the end of the stream.
func TestIncompleteMultipart(t *testing.T) {
	in := "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\n" + goodLine + "\n"
	r := NewReader(strings.NewReader(in), ReaderConfig{})
	n := 0
	for r.Scan() {
		n++
	}
	if st := r.Stats(); n != 1 || st.Incomplete != 1 || st.Rejected[ErrExpired] != 1 {
		t.Errorf("messages %d, incomplete %d, expired %d; want 1, 1, 1", n, st.Incomplete, st.Rejected[ErrExpired])
	}
}

// TestInterleavedMultipart: fragments of messages on two channels and
// sequence ids interleave and still assemble.
func TestInterleavedMultipart(t *testing.T) {
	in := strings.Join([]string{
		"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
		"!AIVDM,2,1,2,B,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
		goodLine,
		"!AIVDM,2,2,1,A,88888888880,2*25",
		"!AIVDM,2,2,2,B,88888888880,2*25",
	}, "\n")
	var rejects []Reason
	r := NewReader(strings.NewReader(in), ReaderConfig{OnReject: func(_ uint64, _ []byte, re Reason) { rejects = append(rejects, re) }})
	var types []uint8
	for r.Scan() {
		types = append(types, r.Message().Head().Type)
	}
	if len(types) != 3 || types[0] != 1 || types[1] != 5 || types[2] != 5 || len(rejects) != 0 {
		t.Errorf("types %v, want [1 5 5]; rejects %v", types, rejects)
	}
}

// TestDedup: the same message heard twice is counted once as a duplicate.
func TestDedup(t *testing.T) {
	r := NewReader(strings.NewReader(goodLine+"\n"+goodLine+"\n"), ReaderConfig{Dedup: 16})
	n := 0
	for r.Scan() {
		n++
	}
	if n != 1 || r.Stats().Duplicates != 1 {
		t.Errorf("messages %d, duplicates %d; want 1, 1", n, r.Stats().Duplicates)
	}
}

// TestGFWBrokenInputs runs GFW's deliberately broken sample files: nothing
// panics, every line is accounted for.
func TestGFWBrokenInputs(t *testing.T) {
	for _, name := range []string{"bad-tagblock-group.nmea", "bad-type5.nmea", "errors.nmea", "type1-bad-bitcount.nmea", "mixed_types.nmea", "multi-part.nmea"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open("testdata/gfw/" + name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r := NewReader(f, ReaderConfig{})
			for r.Scan() {
			}
			if err := r.Err(); err != nil && !errors.Is(err, os.ErrClosed) {
				t.Fatal(err)
			}
			st := r.Stats()
			t.Logf("%s: lines %d, messages %d, rejected %d, incomplete %d", name, st.Lines, st.Messages, st.RejectedTotal(), st.Incomplete)
			if st.Lines == 0 {
				t.Fatal("no lines read")
			}
		})
	}
}

// TestTagBlocksLibais reads libais' tag-block sample (a type 5 split over
// two tag-block groups with a type 1 between its parts) and checks the
// messages, stations and times against libais' expected decode.
func TestTagBlocksLibais(t *testing.T) {
	f, err := os.Open("testdata/libais/tagblock.nmea")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := os.ReadFile("testdata/libais/tagblock.json")
	if err != nil {
		t.Fatal(err)
	}
	type tagged struct {
		Type    uint8     `json:"type"`
		MMSI    uint32    `json:"mmsi"`
		Station string    `json:"tagblock_station"`
		Time    time.Time `json:"tagblock_timestamp"`
	}
	var exp []tagged
	for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		var v tagged
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatal(err)
		}
		exp = append(exp, v)
	}
	var got []tagged
	r := NewReader(f, ReaderConfig{})
	for r.Scan() {
		h := r.Message().Head()
		got = append(got, tagged{h.Type, h.MMSI, string(r.Tag().Source), r.Tag().Time})
	}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("tag-blocked messages differ from libais (-want +got):\n%s", diff)
	}
}
