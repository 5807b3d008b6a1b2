package ais

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var appsRegen = flag.Bool("apps.regen", false, "rewrite testdata/apps: the generated NMEA and the output of /usr/bin/gpsdecode (gpsd 3.22) for it")

// appOf returns the application of a type 6 or 8 message, or nil.
func appOf(m Message) Application {
	switch v := m.(type) {
	case *BinaryAddressed:
		return v.App
	case *BinaryBroadcast:
		return v.App
	}
	return nil
}

// decodeNMEA decodes one message from its sentences.
func decodeNMEA(t *testing.T, nmea string) (Message, *Bits) {
	t.Helper()
	var (
		asm Assembler
		s   Sentence
	)
	for _, line := range strings.Split(strings.TrimSpace(nmea), "\n") {
		if err := ParseSentence([]byte(line), &s); err != nil {
			t.Fatalf("ParseSentence(%q) = %v", line, err)
		}
		b, err := asm.Add(&s, zeroTime)
		if err != nil {
			t.Fatalf("Add(%q) = %v", line, err)
		}
		if b != nil {
			orig := *b
			m, err := Decode(&orig)
			if err != nil {
				t.Fatalf("Decode(%q) = %v", nmea, err)
			}
			return m, &orig
		}
	}
	t.Fatalf("%q: no complete message", nmea)
	return nil, nil
}

// appJSON returns a's members as gpsd prints them after "fid", closed.
func appJSON(a Application, scaled bool) string {
	b := a.appendJSON(nil, scaled)
	if len(b) > 0 {
		b = b[:len(b)-1]
	}
	return string(b) + "}"
}

// TestAppDecode decodes real and hand-built sentences into application
// structs. The gpsd sample ones are real (their gpsd output is in
// testdata/gpsd/sample.aivdm.js.chk); the others were built for the layout
// they test, and gpsdecode's output for them is given in comments where it
// differs.
func TestAppDecode(t *testing.T) {
	tests := []struct {
		name, nmea string
		want       Application
		len        int    // Header.Len
		js         string // scaled JSON members after "fid"; "" skips
	}{
		{
			name: "1/12 dangerous cargo, short (gpsd sample)",
			nmea: "!AIVDM,1,1,,A,63LBA4;WBevJ04k0=@E=B0td,0*17",
			want: &DangerousCargo236{LastPort: "0CTES", LastMonth: 5, LastDay: 4, LastMinute: 60, NextPort: ","},
			len:  144,
			js:   `"lastport":"0CTES","departure":"05-04T00:60Z","nextport":",","eta":"00-00T00:00Z","dangerous":"","imdcat":"","unid":0,"amount":0,"unit":0}`,
		},
		{
			name: "1/14 tidal window 236, one cut element (gpsd sample)",
			nmea: "!AIVDM,1,1,,A,6h2E:81>NmKC04p0J<000?vv20Ru,0*31",
			want: &TidalWindow236{Tidals: []Tidal236{{Lat: -24379392, Lon: 16760328, FromHour: 1, FromMinute: 5, ToHour: 29}}, Truncated: 22},
			js:   `"month":0,"day":0,"tidals":[{"lon":279.3388,"lat":-406.3232,"from_hour":1,"from_min":5,"to_hour":29,"to_min":0,"cdir":0,"cspeed":0.0}]}`,
		},
		{
			name: "1/18 clearance time (gpsd sample)",
			nmea: "!AIVDM,1,1,,B,6h2E3MDrDRiB0580@00000000000,0*04",
			want: &ClearanceTime{Linkage: 1},
			len:  168,
			js:   `"linkage":1,"arrival":"00-00T00:00Z","portname":"","destination":"","lon":0.0000,"lat":0.0000}`,
		},
		{
			name: "1/30 text (gpsd sample)",
			nmea: "!AIVDM,1,1,,B,6h2E3MPr<buN05p0J00000000000,0*0A",
			want: &TextAddressed{TextDescription{Linkage: 1, Text: "("}},
			len:  168,
			js:   `"linkage":1,"text":"("}`,
		},
		{
			name: "1/32 tidal window, 71 of 88 bits (gpsd sample)",
			nmea: "!AIVDM,1,1,,A,6h2E3MHrg19P0600@00000000000,0*02",
			want: &TidalWindow{Tidals: []Tidal{{Lon: -16777216}}, Truncated: 17},
			js:   `"month":0,"day":0,"tidals":[{"lon":-279.6203,"lat":0.0000,"from_hour":0,"from_min":0,"to_hour":0,"to_min":0,"cdir":0,"cspeed":0.0}]}`,
		},
		{
			name: "235/10 AtoN monitoring (gpsd sample)",
			nmea: "!AIVDM,1,1,4,B,6>jR0600V:C0>da4P106P00,2*02",
			want: &AtoNMonitoring{DAC: 235, AnaInt: 274, AnaExt1: 1, AnaExt2: 1, Racon: 2, Light: 2},
			js:   `"off_pos":false,"alarm":false,"stat_ext":0,"ana_int":13.70,"ana_ext1":0.05,"ana_ext2":0.05,"racon":2,"racon_text":"RACON operational","light":2,"light_text":"Light OFF"}`,
		},
		{
			name: "235/10 AtoN monitoring (libais)",
			nmea: "!AIVDM,1,1,,A,6>h8nIT00000>d`vP000@00,2*53",
			want: &AtoNMonitoring{DAC: 235, AnaInt: 250, Light: 1},
		},
		{
			name: "200/10 inland static (gpsd sample)",
			nmea: "!AIVDM,1,1,,B,83aDChPj2d<dL<uM=hhhI?a@6HP0,0*40",
			want: &InlandStaticVoyage{VIN: "02103547", Length: 390, Beam: 50, ShipType: 8010, Draught: 204, Loaded: 1},
			js:   `"vin":"02103547","length":390,"beam":50,"shiptype":8010,"shiptype_text":"Motor freighter","hazard":0,"hazard_text":"0 blue cones/lights","draught":204,"loaded":1,"loaded_text":"Unloaded","speed_q":false,"course_q":false,"heading_q":false}`,
		},
		{
			name: "1/31 met/hydro, all n/a (gpsd sample)",
			nmea: "!AIVDO,1,1,5,A,8>jR06@0Gwli:QQUP3en?wvlFR06EuOwgwl?wnSwe7wvlOwwsAwwnSGmwvh0,0*51",
			want: &MetHydro{Lon: -368044, Lat: 3197696, Day: 29, Hour: 23, Minute: 24, WindSpeed: 127, WindGust: 127, WindDir: 360,
				WindGustDir: 360, AirTemp: -1024, Humidity: 101, DewPoint: 501, Pressure: 511, PressureTend: 3, Visibility: 127,
				WaterLevel: 4001, LevelTrend: 3, CurSpeed: 255, CurDir: 360, CurSpeed2: 255, CurDir2: 360, CurDepth2: 31,
				CurSpeed3: 255, CurDir3: 360, CurDepth3: 31, WaveHeight: 255, WavePeriod: 63, WaveDir: 360, SwellHeight: 255,
				SwellPeriod: 63, SwellDir: 360, SeaState: 13, WaterTemp: 501, Precip: 7, Salinity: 510, Ice: 3},
			js: `"lat":53.2949,"lon":-6.1341,"accuracy":false,"timestamp":"29T23:24Z","wspeed":127,"wgust":127,"wdir":360,"wgustdir":360,"humidity":101,"airtemp":-102.4,"dewpoint":50.1,"pressure":1310,"pressuretend":"N/A","visgreater":false,"visibility":12.7,"waterlevel":30.0,"leveltrend":"N/A","cspeed":25.5,"cdir":360,"cspeed2":25.5,"cdir2":360,"cdepth2":31,"cspeed3":25.5,"cdir3":360,"cdepth3":31,"waveheight":25.5,"waveperiod":63,"wavedir":360,"swellheight":25.5,"swellperiod":63,"swelldir":360,"seastate":13,"watertemp":50.1,"preciptype":"N/A","salinity":51.0,"ice":"N/A"}`,
		},
		{
			// Air draught 1000 after FI; gpsd reads bits 56-66 of the
			// destination MMSI 987654321 and prints "airdraught":1302.
			name: "1/15 addressed air draught",
			nmea: "!AIVDM,1,1,,A,61mg=5CcNJ;404uu00,4*08",
			want: &ExtendedShipData{AirDraught: 1000},
			js:   `"airdraught":1000}`,
		},
		{
			// Persons 1000 after FI in a 136-bit message; gpsd prints
			// "persons":6700, bits 55-67 of the destination MMSI.
			name: "1/16 addressed persons on board",
			nmea: "!AIVDM,1,1,,A,61mg=5CcNJ;4050O@000000,2*30",
			want: &PersonsOnBoard{Persons: 1000},
			js:   `"persons":1000}`,
		},
		{
			// A 3-tidal IMO Circ. 289 window of 361 bits: gpsd (and so this
			// package) also decodes a fourth, empty element.
			name: "1/32 tidal window, phantom element",
			nmea: "!AIVDM,2,1,3,A,61mg=5CcNJ;4060A0000@000QR560pAwwwwwwwvgoSjlOrUeN1CD208@i0:3,0*3D\n!AIVDM,2,2,3,A,0,5*20",
			want: &TidalWindow{Month: 1, Day: 2, Tidals: []Tidal{
				{Lon: 1, Lat: 2, FromHour: 3, FromMinute: 4, ToHour: 5, ToMinute: 6, CurDir: 7, CurSpeed: 8},
				{Lon: -1, Lat: -2, FromHour: 23, FromMinute: 59, ToHour: 24, ToMinute: 60, CurDir: 360, CurSpeed: 255},
				{Lon: 108600000 / 10, Lat: 54600000 / 10, FromHour: 1, FromMinute: 2, ToHour: 3, ToMinute: 4, CurDir: 5, CurSpeed: 6},
				{},
			}, Truncated: 88},
			js: `"month":1,"day":2,"tidals":[{"lon":0.0000,"lat":0.0000,"from_hour":3,"from_min":4,"to_hour":5,"to_min":6,"cdir":7,"cspeed":0.8},{"lon":-0.0000,"lat":-0.0000,"from_hour":23,"from_min":59,"to_hour":24,"to_min":60,"cdir":360,"cspeed":25.5},{"lon":181.0000,"lat":91.0000,"from_hour":1,"from_min":2,"to_hour":3,"to_min":4,"cdir":5,"cspeed":0.6},{"lon":0.0000,"lat":0.0000,"from_hour":0,"from_min":0,"to_hour":0,"to_min":0,"cdir":0,"cspeed":0.0}]}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := decodeNMEA(t, tc.nmea)
			a := appOf(m)
			if diff := cmp.Diff(tc.want, a); diff != "" {
				t.Fatalf("application (-want +got):\n%s", diff)
			}
			if got := m.Head().Len; got != tc.len {
				t.Errorf("Header.Len = %d, want %d", got, tc.len)
			}
			if tc.js != "" {
				if got := appJSON(a, true); got != tc.js {
					t.Errorf("scaled JSON\n got %s\nwant %s", got, tc.js)
				}
			}
		})
	}
}

// TestAppComplete checks the elements a cut message carried whole.
func TestAppComplete(t *testing.T) {
	w := TidalWindow{Tidals: make([]Tidal, 4), Truncated: 88}
	if n := len(w.Complete()); n != 3 {
		t.Errorf("TidalWindow.Complete: %d elements, want 3", n)
	}
	c := DangerousCargo{Cargos: make([]Cargo, 3)}
	if n := len(c.Complete()); n != 3 {
		t.Errorf("DangerousCargo.Complete: %d elements, want 3", n)
	}
	var v VTSTargets
	if v.Complete() != nil {
		t.Errorf("VTSTargets.Complete of none is not nil")
	}
}

// appMessage returns a random message of type 6 or 8 carrying a random
// application k.
func appMessage(r *rand.Rand, k appKey) Message {
	c := coder{mode: random, rnd: r}
	a := apps[k].new()
	a.walk(&c)
	if k.broadcast {
		m := Random(r, 8).(*BinaryBroadcast)
		m.DAC, m.FI, m.App, m.Data, m.DataBits = k.dac, k.fi, a, nil, 0
		return m
	}
	m := Random(r, 6).(*BinaryAddressed)
	m.DAC, m.FI, m.App, m.Data, m.DataBits = k.dac, k.fi, a, nil, 0
	return m
}

// allAppKeys returns every registered application.
func allAppKeys() []appKey { return append(appKeys(false), appKeys(true)...) }

func (k appKey) String() string {
	t := 6
	if k.broadcast {
		t = 8
	}
	return fmt.Sprintf("type%d/%d/%d", t, k.dac, k.fi)
}

// TestAppRoundTrip is the property test for every application:
// decode(encode(m)) == m for random messages, their JSON is valid, and
// appending it does not allocate.
func TestAppRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 0, 1<<14)
	for _, k := range allAppKeys() {
		t.Run(k.String(), func(t *testing.T) {
			var b Bits
			for i := range 1000 {
				m := appMessage(r, k)
				if err := Encode(m, &b); err != nil {
					t.Fatalf("#%d Encode(%+v) = %v", i, appOf(m), err)
				}
				if b.Len() > 1008 {
					t.Fatalf("#%d %d bits, more than a message holds", i, b.Len())
				}
				got, err := Decode(&b)
				if err != nil {
					t.Fatalf("#%d Decode = %v", i, err)
				}
				if diff := cmp.Diff(m, got); diff != "" {
					t.Fatalf("#%d Decode(Encode(m)) != m (-want +got):\n%s", i, diff)
				}
				a := appOf(m)
				for _, scaled := range []bool{false, true} {
					s := "{" + appJSON(a, scaled)
					if _, ok := a.(*TrafficSignal); ok && strings.Contains(s, `"nextsignal":0"`) {
						t.Fatalf("missing comma: %s", s)
					}
					if !json.Valid([]byte(s)) {
						t.Fatalf("#%d invalid JSON %s", i, s)
					}
					if i >= 20 {
						continue
					}
					if n := testing.AllocsPerRun(1, func() { buf = a.appendJSON(buf[:0], scaled) }); n != 0 {
						t.Fatalf("appendJSON allocates %v times", n)
					}
				}
			}
		})
	}
}

// appRecord is a message read from a file with the bits it came from.
type appRecord struct {
	m    Message
	bits Bits
	nmea string
}

// readRecords decodes every type 6 and 8 message of an NMEA file,
// keeping the payload bits (which a Reader does not expose).
func readRecords(t *testing.T, path string) []appRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		asm   Assembler
		s     Sentence
		dec   Decoder
		out   []appRecord
		group []string
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if ParseSentence([]byte(line), &s) != nil {
			continue
		}
		if s.Num == 1 {
			group = group[:0]
		}
		group = append(group, line)
		b, err := asm.Add(&s, zeroTime)
		if err != nil || b == nil {
			continue
		}
		if t := b.Uint(0, 6); t != 6 && t != 8 {
			continue
		}
		rec := appRecord{bits: *b, nmea: strings.Join(group, "\n")}
		m, err := dec.Decode(&rec.bits)
		if err != nil {
			continue
		}
		rec.m = Clone(m)
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// appInputs are the real and generated inputs with application messages.
var appInputs = []string{
	"testdata/gpsd/sample.aivdm",
	"testdata/bench/corpus.nmea",
	"testdata/libais/test.aivdm",
	"testdata/apps/apps.nmea",
}

// TestAppEncodeDecoded checks encode(decode(x)) == x on the application
// messages of real and generated inputs; where text was padded with
// spaces or bits follow the last field, re-decoding must give the same
// message.
func TestAppEncodeDecoded(t *testing.T) {
	for _, path := range appInputs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var enc Bits
			exact, canonical := 0, 0
			for _, rec := range readRecords(t, path) {
				if appOf(rec.m) == nil {
					continue
				}
				if err := Encode(rec.m, &enc); err != nil {
					t.Errorf("%s: Encode = %v", rec.nmea, err)
					continue
				}
				if enc.Equal(&rec.bits) {
					exact++
					continue
				}
				again, err := Decode(&enc)
				if err != nil {
					t.Errorf("%s: Decode(Encode) = %v", rec.nmea, err)
					continue
				}
				if diff := cmp.Diff(rec.m, again); diff != "" {
					t.Errorf("%s: re-encoded differently (-want +got):\n%s", rec.nmea, diff)
					continue
				}
				canonical++
			}
			t.Logf("%d application messages: %d bit-identical, %d the same after re-decoding", exact+canonical, exact, canonical)
			if exact+canonical == 0 {
				t.Fatal("no application message")
			}
		})
	}
}

// gpsdApp returns the members gpsd printed after "fid" (closed by "}"),
// the type and the MMSI of one gpsd JSON line, or ok == false for other
// types.
func gpsdApp(line string) (typ int, mmsi uint64, members string, ok bool) {
	num := func(key string) (uint64, int) {
		i := strings.Index(line, key)
		if i < 0 {
			return 0, -1
		}
		i += len(key)
		j := i
		for j < len(line) && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		v, _ := strconv.ParseUint(line[i:j], 10, 64)
		return v, j
	}
	ty, _ := num(`"type":`)
	if ty != 6 && ty != 8 {
		return 0, 0, "", false
	}
	mmsi, _ = num(`"mmsi":`)
	_, end := num(`"fid":`)
	if end < 0 || end >= len(line) {
		return 0, 0, "", false
	}
	return int(ty), mmsi, line[end+1:], true
}

// gpsdView rewrites our members (each followed by a comma) into what gpsd
// 3.22 prints where it differs deliberately (see apps.go and
// apps_json.go), closed by "}", and names the difference.
func gpsdView(m Message, b *Bits, a Application, ours string) (string, string) {
	raw := func(s, key, val string) string {
		return strings.Replace(s, string(ajS(nil, key, val)), key+`"`+val+`",`, 1)
	}
	closed := func(s string) string { return strings.TrimSuffix(s, ",") + "}" }
	switch v := a.(type) {
	case *ExtendedShipData:
		if m.Head().Type == 6 {
			return closed(strings.Replace(ours, `"airdraught":`+strconv.Itoa(int(v.AirDraught))+",",
				`"airdraught":`+strconv.FormatUint(b.Uint(56, 11), 10)+",", 1)), "1/15 addressed: gpsd reads the header"
		}
	case *PersonsOnBoard:
		if b.Len() != 224 {
			return closed(strings.Replace(ours, `"persons":`+strconv.Itoa(int(v.Persons))+",",
				`"persons":`+strconv.FormatUint(b.Uint(55, 13), 10)+",", 1)), "1/16 addressed: gpsd reads the header"
		}
	case *PersonsOnBoardBroadcast:
		return closed(strings.Replace(ours, `"persons":`+strconv.Itoa(int(v.Persons))+",", `"persons":0,`, 1)), "1/16 broadcast: gpsd prints 0"
	case *TrafficSignal:
		s := raw(ours, `"signal_text":`, ajLegend(ajSignals, uint64(v.Signal), "INVALID SIGNAL TYPE"))
		s = raw(s, `"nextsignal_text":`, ajLegend(ajSignals, uint64(v.NextSignal), "INVALID SIGNAL TYPE"))
		s = strings.Replace(s, `,"nextsignal_text":`, `"nextsignal_text":`, 1)
		return closed(s), "1/19: gpsd omits a comma"
	case *InlandETA:
		return closed(raw(raw(raw(raw(raw(ours, `"country":`, v.Country), `"locode":`, v.Locode), `"section":`, v.Section),
			`"terminal":`, v.Terminal), `"hectometre":`, v.Hectometre)), "inland text: gpsd does not escape"
	case *InlandRTA:
		return closed(raw(raw(raw(raw(raw(ours, `"country":`, v.Country), `"locode":`, v.Locode), `"section":`, v.Section),
			`"terminal":`, v.Terminal), `"hectometre":`, v.Hectometre)), "inland text: gpsd does not escape"
	case *WaterLevels:
		return closed(raw(ours, `"country":`, v.Country)), "inland text: gpsd does not escape"
	}
	return closed(ours), ""
}

// readJSONLines reads gpsdecode output, plain or gzip'd, less "\r".
func readJSONLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for line := range strings.SplitSeq(string(data), "\n") {
		if line = strings.TrimRight(line, "\r"); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// TestAppGpsdJSON compares the application members of every type 6 and 8
// message of the real and generated inputs with gpsdecode 3.22's output
// for them: the same messages must be structured, and the members must be
// equal byte for byte once the deliberate differences (gpsdView) are
// applied.
func TestAppGpsdJSON(t *testing.T) {
	if *appsRegen {
		regenAppsTestdata(t)
	}
	tests := []struct {
		input, js, ju string
		unpaired      int // messages one decoder rejects and the other does not
	}{
		{"testdata/gpsd/sample.aivdm", "testdata/gpsd/sample.aivdm.js.chk", "testdata/gpsd/sample.aivdm.ju.chk", 0},
		{"testdata/bench/corpus.nmea", "testdata/bench/corpus.gpsdecode-3.22.js.jsonl.gz", "testdata/bench/corpus.gpsdecode-3.22.ju.jsonl.gz", 1},
		{"testdata/libais/test.aivdm", "testdata/apps/libais-test.aivdm.js.jsonl", "testdata/apps/libais-test.aivdm.ju.jsonl", 1},
		{"testdata/apps/apps.nmea", "testdata/apps/apps.js.jsonl.gz", "testdata/apps/apps.ju.jsonl.gz", 0},
	}
	for _, tc := range tests {
		// Read with a Reader, as gpsdecode reads.
		f, err := os.Open(tc.input)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []Message
		rd := NewReader(f, ReaderConfig{})
		for rd.Scan() {
			if ty := rd.Message().Head().Type; ty == 6 || ty == 8 {
				msgs = append(msgs, Clone(rd.Message()))
			}
		}
		f.Close()
		for _, form := range []struct {
			path   string
			scaled bool
		}{{tc.js, true}, {tc.ju, false}} {
			t.Run(filepath.Base(form.path), func(t *testing.T) {
				type entry struct {
					typ     int
					mmsi    uint64
					members string
				}
				var want []entry
				for _, line := range readJSONLines(t, form.path) {
					if ty, mmsi, members, ok := gpsdApp(line); ok {
						want = append(want, entry{ty, mmsi, members})
					}
				}
				cats := map[string]int{}
				seen := map[appKey]bool{}
				same, structured, unpaired := 0, 0, 0
				i, j := 0, 0
				var b Bits
				for i < len(msgs) || j < len(want) {
					if i < len(msgs) && j < len(want) && int(msgs[i].Head().Type) == want[j].typ && uint64(msgs[i].Head().MMSI) == want[j].mmsi {
						m, w := msgs[i], want[j]
						i++
						j++
						a := appOf(m)
						if a == nil {
							if !strings.HasPrefix(w.members, `"data":`) {
								t.Errorf("type %d MMSI %d: gpsd decodes %s, we keep the payload raw", w.typ, w.mmsi, w.members)
							}
							continue
						}
						structured++
						dac, fi := a.AppID()
						seen[appKey{m.Head().Type == 8, dac, fi}] = true
						if err := Encode(m, &b); err != nil {
							t.Fatal(err)
						}
						ours := appJSON(a, form.scaled)
						got, cat := gpsdView(m, &b, a, string(a.appendJSON(nil, form.scaled)))
						if got != w.members {
							p, _ := b.Armor(nil)
							t.Errorf("type %d MMSI %d %T payload %s:\n got %s\nwant %s", w.typ, w.mmsi, a, p, got, w.members)
							continue
						}
						if got != ours {
							cats[cat]++
						} else {
							same++
						}
						continue
					}
					// Unpaired: skip whichever side has no partner close by.
					unpaired++
					skipped := false
					for d := 1; d <= 3 && !skipped; d++ {
						if i < len(msgs) && j+d < len(want) && int(msgs[i].Head().Type) == want[j+d].typ && uint64(msgs[i].Head().MMSI) == want[j+d].mmsi {
							t.Logf("gpsd only: type %d MMSI %d", want[j].typ, want[j].mmsi)
							j++
							skipped = true
						} else if j < len(want) && i+d < len(msgs) && int(msgs[i+d].Head().Type) == want[j].typ && uint64(msgs[i+d].Head().MMSI) == want[j].mmsi {
							t.Logf("ours only: type %d MMSI %d", msgs[i].Head().Type, msgs[i].Head().MMSI)
							i++
							skipped = true
						}
					}
					if !skipped {
						i, j = min(i+1, len(msgs)), min(j+1, len(want))
					}
				}
				if strings.HasPrefix(tc.input, "testdata/apps/") {
					for _, k := range allAppKeys() {
						if !seen[k] {
							t.Errorf("no structured message of %v: regenerate with -apps.regen", k)
						}
					}
				}
				if unpaired != tc.unpaired {
					t.Errorf("%d messages unpaired, want %d", unpaired, tc.unpaired)
				}
				keys := make([]string, 0, len(cats))
				for k := range cats {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				var sb strings.Builder
				for _, k := range keys {
					fmt.Fprintf(&sb, "\n  known difference %q: %d", k, cats[k])
				}
				t.Logf("%d structured messages: %d identical to gpsd%s", structured, same, sb.String())
			})
		}
	}
}

// regenAppsTestdata writes testdata/apps: apps.nmea, random messages of
// every application (some with their length changed, and edge cases), and
// gpsdecode's output for it and for testdata/libais/test.aivdm.
func regenAppsTestdata(t *testing.T) {
	const gpsdecode = "/usr/bin/gpsdecode"
	if err := os.MkdirAll("testdata/apps", 0o755); err != nil {
		t.Fatal(err)
	}
	nmea := appsNMEA(t)
	if err := os.WriteFile("testdata/apps/apps.nmea", nmea, 0o644); err != nil {
		t.Fatal(err)
	}
	libais, err := os.ReadFile("testdata/libais/test.aivdm")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []struct {
		in   []byte
		out  string
		args []string
		gz   bool
	}{
		{nmea, "apps.js.jsonl.gz", []string{"-j"}, true},
		{nmea, "apps.ju.jsonl.gz", []string{"-u", "-j"}, true},
		{libais, "libais-test.aivdm.js.jsonl", []string{"-j"}, false},
		{libais, "libais-test.aivdm.ju.jsonl", []string{"-u", "-j"}, false},
	} {
		cmd := exec.Command(gpsdecode, o.args...)
		cmd.Stdin = bytes.NewReader(o.in)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %v: %v", gpsdecode, o.args, err)
		}
		if o.gz {
			var zb bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&zb, gzip.BestCompression)
			zw.Write(out)
			zw.Close()
			out = zb.Bytes()
		}
		if err := os.WriteFile(filepath.Join("testdata/apps", o.out), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// appsNMEA generates the input of testdata/apps/apps.nmea: for every
// application, 20 random messages, 10 more cut or extended to a random
// length (with random bits), and edge cases of the length rules. MMSIs
// are unique, so gpsdecode's output pairs with the messages.
func appsNMEA(t *testing.T) []byte {
	r := rand.New(rand.NewPCG(2024, 6))
	var (
		out  []byte
		b    Bits
		mmsi uint32 = 100000000
		seq  int
	)
	emit := func(m Message, length int, mutate func(Application)) {
		m.Head().MMSI = mmsi
		mmsi++
		if mutate != nil {
			mutate(appOf(m))
		}
		if err := Encode(m, &b); err != nil {
			t.Fatalf("Encode(%+v) = %v", appOf(m), err)
		}
		minLen := 88
		if m.Head().Type == 8 {
			minLen = 56
		}
		switch {
		case length == -1: // random
			if r.IntN(2) == 0 {
				length = minLen + r.IntN(b.Len()-minLen+1)
			} else {
				length = b.Len() + r.IntN(1008-b.Len()+1)
			}
		case length == 0:
			length = b.Len()
		}
		if length < b.Len() {
			b.truncate(length)
		}
		for b.Len() < length {
			b.put(uint64(r.IntN(2)), 1)
		}
		payload, fill := b.Armor(nil)
		const max = 60
		n := (len(payload) + max - 1) / max
		id := -1
		if n > 1 {
			id = seq
			seq = (seq + 1) % 10
		}
		for i := range n {
			f := 0
			if i == n-1 {
				f = fill
			}
			out = AppendSentence(out, "AI", false, n, i+1, id, 'A', payload[i*max:min(len(payload), (i+1)*max)], f)
			out = append(out, '\n')
		}
	}
	for _, k := range allAppKeys() {
		for i := range 30 {
			length := 0
			if i >= 20 {
				length = -1
			}
			emit(appMessage(r, k), length, nil)
		}
	}
	key := func(broadcast bool, dac uint16, fi uint8) appKey { return appKey{broadcast, dac, fi} }
	quotes := func(a Application) {
		switch v := a.(type) {
		case *InlandETA:
			v.Country, v.Locode, v.Section, v.Terminal, v.Hectometre = `"\`, `A"B`, `\\"`, `X`, `"`
		case *InlandRTA:
			v.Country, v.Locode, v.Section, v.Terminal, v.Hectometre = `\"`, `"`, `A\B`, `""`, `OK`
		case *WaterLevels:
			v.Country = `"\`
		case *TextAddressed:
			v.Text = `"QUOTED" \ BACKSLASH`
		}
	}
	signal := func(s, next uint8) func(Application) {
		return func(a Application) { a.(*TrafficSignal).Signal, a.(*TrafficSignal).NextSignal = s, next }
	}
	ways := func(a Application) { a.(*RouteAddressed).Waypoints = make([]Waypoint, 31) }
	edges := []struct {
		k      appKey
		length int
		mutate func(Application)
	}{
		{key(false, 1, 32), 97 + 88, nil}, {key(false, 1, 32), 97 + 88*3, nil}, {key(false, 1, 32), 97 + 88*3 + 7, nil},
		{key(false, 1, 32), 97 + 88*10, nil}, {key(false, 1, 32), 96, nil}, {key(false, 1, 32), 97, nil},
		{key(false, 1, 14), 97 + 93*2, nil}, {key(false, 1, 14), 97 + 93*3, nil}, {key(false, 1, 14), 97 + 93*9 + 1, nil},
		{key(true, 1, 17), 56 + 122*4, nil}, {key(true, 1, 17), 56 + 122*4 + 8, nil}, {key(true, 1, 17), 56 + 122*7, nil},
		{key(true, 1, 17), 56, nil},
		{key(false, 1, 25), 100, nil}, {key(false, 1, 25), 99, nil}, {key(false, 1, 25), 100 + 17*3, nil},
		{key(false, 1, 25), 100 + 17*3 + 1, nil}, {key(false, 1, 25), 100 + 17*53, nil},
		{key(false, 1, 16), 224, nil}, {key(false, 1, 16), 136, nil}, {key(false, 1, 16), 104, nil},
		{key(true, 1, 16), 128, nil}, {key(true, 1, 16), 192, nil}, {key(true, 1, 16), 72, nil},
		{key(false, 1, 15), 88, nil}, {key(false, 1, 15), 104, nil}, {key(true, 1, 15), 72, nil},
		{key(false, 1, 12), 120, nil}, {key(false, 1, 12), 400, nil},
		{key(false, 1, 28), 149 + 55*2, ways}, {key(false, 1, 28), 149 + 55*15, ways},
		{key(false, 1, 30), 98 + 6*10 + 5, quotes},
		{key(false, 200, 21), 0, quotes}, {key(false, 200, 22), 0, quotes}, {key(true, 200, 24), 0, quotes},
		{key(false, 200, 21), 247, nil}, {key(true, 200, 10), 167, nil},
		{key(true, 1, 19), 0, signal(9, 10)}, {key(true, 1, 19), 0, signal(11, 12)}, {key(true, 1, 19), 0, signal(14, 15)},
		{key(true, 1, 19), 0, signal(1, 31)},
	}
	for _, e := range edges {
		emit(appMessage(r, e.k), e.length, e.mutate)
	}
	return out
}
