package track

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestKindOfFlagOf(t *testing.T) {
	tests := []struct {
		name    string
		mmsi    uint32
		kind    Kind
		iso2    string
		country string
	}{
		// The strait's two shores.
		{"Iran ship", 422123456, KindShip, "IR", "Iran (Islamic Republic of)"},
		{"Oman ship", 461000001, KindShip, "OM", "Oman (Sultanate of)"},
		// The Gulf states and neighbours.
		{"Saudi Arabia", 403123456, KindShip, "SA", "Saudi Arabia (Kingdom of)"},
		{"Bahrain", 408123456, KindShip, "BH", "Bahrain (Kingdom of)"},
		{"Kuwait", 447123456, KindShip, "KW", "Kuwait (State of)"},
		{"Qatar", 466123456, KindShip, "QA", "Qatar (State of)"},
		{"UAE 470", 470123456, KindShip, "AE", "United Arab Emirates"},
		{"UAE 471", 471123456, KindShip, "AE", "United Arab Emirates"},
		{"Iraq", 425123456, KindShip, "IQ", "Iraq (Republic of)"},
		{"Pakistan", 463123456, KindShip, "PK", "Pakistan (Islamic Republic of)"},
		{"India", 419123456, KindShip, "IN", "India (Republic of)"},
		{"Yemen 473", 473123456, KindShip, "YE", "Yemen (Republic of)"},
		// Flags of convenience common in the region.
		{"Panama", 352001234, KindShip, "PA", "Panama (Republic of)"},
		{"Liberia", 636012345, KindShip, "LR", "Liberia (Republic of)"},
		{"Marshall Islands", 538001234, KindShip, "MH", "Marshall Islands (Republic of the)"},
		{"Hong Kong", 477123456, KindShip, "HK", "China (People's Republic of) - Hong Kong (Special Administrative Region of China)"},
		// The MID moves with the kind.
		{"group of Iranian ships", 42212345, KindGroup, "IR", "Iran (Islamic Republic of)"},
		{"Omani coast station", 4610001, KindCoast, "OM", "Oman (Sultanate of)"},
		{"Iranian coast station", 4221234, KindCoast, "IR", "Iran (Islamic Republic of)"},
		{"Omani SAR aircraft", 111461001, KindSARAircraft, "OM", "Oman (Sultanate of)"},
		{"Iranian AtoN", 994221234, KindAtoN, "IR", "Iran (Islamic Republic of)"},
		{"Omani virtual AtoN", 994616001, KindAtoN, "OM", "Oman (Sultanate of)"},
		{"UAE auxiliary craft", 984701234, KindAuxiliary, "AE", "United Arab Emirates"},
		{"Iranian diver", 842212345, KindDiver, "IR", "Iran (Islamic Republic of)"},
		// No MID.
		{"AIS-SART", 970123456, KindSART, "", ""},
		{"MOB", 972012345, KindMOB, "", ""},
		{"EPIRB-AIS", 974012345, KindEPIRB, "", ""},
		// One MID, several areas: the first row wins.
		{"MID 306", 306123456, KindShip, "CW", "Netherlands (Kingdom of the) - Curaçao"},
		// Edge cases.
		{"unallocated MID", 200123456, KindShip, "", ""},
		{"unallocated MID 217", 217000000, KindShip, "", ""},
		{"lowest ship", 200000000, KindShip, "", ""},
		{"highest ship", 799999999, KindShip, "", ""},
		{"zero", 0, KindInvalid, "", ""},
		{"ten digits", 1_000_000_000, KindInvalid, "", ""},
		{"30-bit maximum", 1<<30 - 1, KindInvalid, "", ""},
		{"group without MID", 12345678, KindInvalid, "", ""},
		{"coast without MID", 123456, KindInvalid, "", ""},
		{"coast with MID 123", 1234567, KindInvalid, "", ""},
		{"1 but not 111", 123456789, KindInvalid, "", ""},
		{"111 with bad MID", 111012345, KindInvalid, "", ""},
		{"8 with bad MID", 812345678, KindInvalid, "", ""},
		{"9 reserved", 912345678, KindInvalid, "", ""},
		{"97x reserved", 975123456, KindInvalid, "", ""},
		{"98 with bad MID", 981234567, KindInvalid, "", ""},
		{"99 with bad MID", 991234567, KindInvalid, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := KindOf(tc.mmsi); got != tc.kind {
				t.Errorf("KindOf(%09d) = %v, want %v", tc.mmsi, got, tc.kind)
			}
			iso2, country, ok := FlagOf(tc.mmsi)
			if iso2 != tc.iso2 || country != tc.country || ok != (tc.iso2 != "") {
				t.Errorf("FlagOf(%09d) = %q, %q, %v, want %q, %q, %v",
					tc.mmsi, iso2, country, ok, tc.iso2, tc.country, tc.iso2 != "")
			}
		})
	}
}

// TestMIDTable holds the embedded table to its source: every row parses,
// and the counts are those of the ITU list it was copied from.
func TestMIDTable(t *testing.T) {
	recs, err := csv.NewReader(strings.NewReader(midCSV)).ReadAll()
	if err != nil {
		t.Fatalf("mid.csv: %v", err)
	}
	if got := recs[0]; strings.Join(got, ",") != "mid,iso2,country" {
		t.Errorf("mid.csv header = %q, want mid,iso2,country", got)
	}
	rows := recs[1:]
	if len(rows) != 294 {
		t.Errorf("mid.csv has %d rows, want 294", len(rows))
	}
	distinct := 0
	for mid, e := range midTable {
		if e.iso2 == "" {
			continue
		}
		distinct++
		if mid < 201 || mid > 775 {
			t.Errorf("MID %d is outside 201-775", mid)
		}
		if len(e.country) == 0 || strings.ToUpper(e.iso2) != e.iso2 {
			t.Errorf("MID %d = %+v: want an upper-case code and a name", mid, e)
		}
	}
	if distinct != 292 {
		t.Errorf("%d distinct MIDs, want 292", distinct)
	}
}

func TestParseMIDsBadInput(t *testing.T) {
	for _, text := range []string{
		"",
		"mid,iso2,country\n",
		"mid,iso2\n422,IR\n",           // wrong field count: nothing
		"mid,iso2,country\n42,IR,x\n",  // MID out of range
		"mid,iso2,country\nabc,IR,x\n", // not a number
		"mid,iso2,country\n422,IRN,x\n",
		"\"unterminated",
	} {
		tab := parseMIDs(text)
		for mid, e := range tab {
			if e != (midEntry{}) {
				t.Errorf("parseMIDs(%q)[%d] = %+v, want nothing", text, mid, e)
			}
		}
	}
}

func TestKindString(t *testing.T) {
	for k := KindInvalid; k <= KindDiver+1; k++ {
		if k.String() == "" {
			t.Errorf("Kind(%d).String() is empty", k)
		}
	}
	if got := KindSARAircraft.String(); got != "sar-aircraft" {
		t.Errorf("KindSARAircraft.String() = %q, want sar-aircraft", got)
	}
}
