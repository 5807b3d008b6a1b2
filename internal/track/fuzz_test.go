package track

import (
	"strings"
	"testing"

	"straitwatch/ais"
)

// FuzzFromMessage feeds arbitrary payloads through the ais decoder and
// FromMessage: nothing panics, and what comes out holds no "not
// available" value disguised as a number.
func FuzzFromMessage(f *testing.F) {
	for _, p := range []string{
		"15RTgt0PAso;90TKcjM8h6g208CQ",
		"38Id705000rRVJhE7cl9n;160000",
		"B52K>;h00Fc>jpUlNV@ikwpUoP06",
		"C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220",
		"KCQ9r=hrFUnH7P00",
		"55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53",
		"H42O55i18tMET00000000000000",
		"H42O55lti4hhhilD3nink000?050",
		"402R3WiuHkTGWo<PS0NlPSC00@5i",
		"91b77=h3h00nHt0Q3r@@07000<0@",
		"E>kb9O9aS@7PUh10dh19@;0Tah2cWrfP:l?M`00003vP100",
	} {
		f.Add(p, 0)
	}
	var dec ais.Decoder
	f.Fuzz(func(t *testing.T, payload string, fill int) {
		m, err := dec.DecodePayload([]byte(payload), fill%6)
		if err != nil {
			return
		}
		fix, hasFix, st, hasStatic := FromMessage(m, 1, 1)
		if hasFix {
			switch {
			case !(fix.Lat >= -90 && fix.Lat <= 90 && fix.Lon >= -180 && fix.Lon <= 180):
				t.Errorf("FromMessage(%q) position %v,%v out of range", payload, fix.Lat, fix.Lon)
			case fix.SOG == fix.SOG && (fix.SOG < 0 || fix.SOG > 1022):
				t.Errorf("FromMessage(%q) SOG %v, want NaN or 0-1022", payload, fix.SOG)
			case fix.COG == fix.COG && (fix.COG < 0 || fix.COG >= 360):
				t.Errorf("FromMessage(%q) COG %v, want NaN or 0-360", payload, fix.COG)
			case fix.Heading < -1 || fix.Heading > 359:
				t.Errorf("FromMessage(%q) heading %v, want -1 or 0-359", payload, fix.Heading)
			case fix.Status > 15:
				t.Errorf("FromMessage(%q) status %v", payload, fix.Status)
			}
		} else if fix != (Fix{}) {
			t.Errorf("FromMessage(%q) returned a fix %+v with hasFix false", payload, fix)
		}
		if hasStatic {
			if st.Has == 0 {
				t.Errorf("FromMessage(%q) static without field groups", payload)
			}
			for _, s := range []string{st.Name, st.CallSign, st.Destination} {
				if s != strings.TrimSpace(s) {
					t.Errorf("FromMessage(%q) untrimmed text %q", payload, s)
				}
			}
			if st.Has&HasShipType != 0 && (st.ShipType == 0 || st.ShipType > 99) {
				t.Errorf("FromMessage(%q) ship type %d", payload, st.ShipType)
			}
		}
	})
}
