package track

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"straitwatch/ais"
)

// Raw AIS positions are in 1/10000 minute.
const (
	rawLat = 26.5 * 600000 // in the Strait of Hormuz
	rawLon = 56.25 * 600000
	latNA  = 91 * 600000
	lonNA  = 181 * 600000
)

func hdr(typ uint8, mmsi uint32) ais.Header { return ais.Header{Type: typ, MMSI: mmsi} }

func TestFromMessage(t *testing.T) {
	const (
		now  = int64(1_700_000_000_000)
		src  = SourceID(3)
		mmsi = 422123456
	)
	nan := float32(math.NaN())
	base := Fix{MMSI: mmsi, Time: now, Lat: 26.5, Lon: 56.25, SOG: nan, COG: nan, Heading: -1, Status: 15, Source: src, Heard: 1 << src}
	with := func(f func(*Fix)) Fix { x := base; f(&x); return x }
	st := func(f func(*Static)) Static {
		s := Static{MMSI: mmsi, Time: now, Source: src}
		f(&s)
		return s
	}
	tests := []struct {
		name   string
		msg    ais.Message
		fix    *Fix
		static *Static
	}{
		{
			name: "type 1",
			msg: &ais.PositionReport{Header: hdr(1, mmsi), Status: 0, Speed: 123, Lat: rawLat, Lon: rawLon,
				Course: 2705, Heading: 271},
			fix: ptr(with(func(f *Fix) { f.Class, f.SOG, f.COG, f.Heading, f.Status = ClassA, 12.3, 270.5, 271, 0 })),
		},
		{
			name: "type 3 all kinematics not available",
			msg: &ais.PositionReport{Header: hdr(3, mmsi), Status: 5, Speed: ais.SpeedNA, Lat: rawLat, Lon: rawLon,
				Course: ais.CourseNA, Heading: ais.HeadingNA},
			fix: ptr(with(func(f *Fix) { f.Class, f.Status = ClassA, 5 })),
		},
		{
			name: "type 1 speed 102.2 means 102.2 or more",
			msg:  &ais.PositionReport{Header: hdr(1, mmsi), Speed: 1022, Lat: rawLat, Lon: rawLon, Course: 3601, Heading: 400},
			fix:  ptr(with(func(f *Fix) { f.Class, f.SOG, f.Status = ClassA, 102.2, 0 })),
		},
		{
			name: "type 1 latitude not available",
			msg:  &ais.PositionReport{Header: hdr(1, mmsi), Speed: 100, Lat: latNA, Lon: rawLon},
		},
		{
			name: "type 1 longitude not available",
			msg:  &ais.PositionReport{Header: hdr(1, mmsi), Speed: 100, Lat: rawLat, Lon: lonNA},
		},
		{
			name: "type 1 latitude out of range",
			msg:  &ais.PositionReport{Header: hdr(1, mmsi), Lat: 95 * 600000, Lon: rawLon},
		},
		{
			name: "type 4 base station",
			msg:  &ais.BaseStationReport{Header: hdr(4, 4610001), Lat: rawLat, Lon: rawLon},
			fix:  ptr(with(func(f *Fix) { f.MMSI, f.Class = 4610001, ClassBase })),
		},
		{
			name: "type 11 is not a fix",
			msg:  &ais.BaseStationReport{Header: hdr(11, mmsi), Lat: rawLat, Lon: rawLon},
		},
		{
			name: "type 9 SAR aircraft",
			msg:  &ais.SARAircraftReport{Header: hdr(9, 111461001), Speed: 140, Lat: rawLat, Lon: rawLon, Course: 900},
			fix:  ptr(with(func(f *Fix) { f.MMSI, f.Class, f.SOG, f.COG = 111461001, ClassSAR, 140, 90 })),
		},
		{
			name: "type 9 speed not available",
			msg:  &ais.SARAircraftReport{Header: hdr(9, 111461001), Speed: 1023, Lat: rawLat, Lon: rawLon, Course: ais.CourseNA},
			fix:  ptr(with(func(f *Fix) { f.MMSI, f.Class = 111461001, ClassSAR })),
		},
		{
			name: "type 18",
			msg:  &ais.ClassBPositionReport{Header: hdr(18, mmsi), Speed: 55, Lat: rawLat, Lon: rawLon, Course: 10, Heading: 1},
			fix:  ptr(with(func(f *Fix) { f.Class, f.SOG, f.COG, f.Heading = ClassB, 5.5, 1, 1 })),
		},
		{
			name: "type 19 gives both",
			msg: &ais.ClassBExtendedReport{Header: hdr(19, mmsi), Speed: 0, Lat: rawLat, Lon: rawLon, Course: ais.CourseNA,
				Heading: ais.HeadingNA, ShipName: "DHOW STAR  ", ShipType: 30, ToBow: 10, ToStern: 5, ToPort: 2, ToStarboard: 2},
			fix: ptr(with(func(f *Fix) { f.Class, f.SOG = ClassB, 0 })),
			static: ptr(st(func(s *Static) {
				s.Has = HasName | HasShipType | HasDimensions
				s.Name, s.ShipType, s.ToBow, s.ToStern, s.ToPort, s.ToStarboard = "DHOW STAR", 30, 10, 5, 2, 2
			})),
		},
		{
			name: "type 19 without position gives static only",
			msg:  &ais.ClassBExtendedReport{Header: hdr(19, mmsi), Lat: latNA, Lon: lonNA, ShipName: "DHOW"},
			static: ptr(st(func(s *Static) {
				s.Has, s.Name = HasName, "DHOW"
			})),
		},
		{
			name: "type 21 aid to navigation",
			msg:  &ais.AidToNavigationReport{Header: hdr(21, 994616001), AidType: 9, Name: "HORMUZ TSS BUOY", Lat: rawLat, Lon: rawLon},
			fix:  ptr(with(func(f *Fix) { f.MMSI, f.Class = 994616001, ClassAtoN })),
			static: ptr(st(func(s *Static) {
				s.MMSI, s.Has, s.Name, s.AidType = 994616001, HasName|HasAidType, "HORMUZ TSS BUOY", 9
			})),
		},
		{
			name: "type 21 with nothing known",
			msg:  &ais.AidToNavigationReport{Header: hdr(21, 994616001), Lat: rawLat, Lon: rawLon},
			fix:  ptr(with(func(f *Fix) { f.MMSI, f.Class = 994616001, ClassAtoN })),
		},
		{
			name: "type 27 long range",
			msg:  &ais.LongRangeReport{Header: hdr(27, mmsi), Status: 1, Lat: 26.5 * 600, Lon: 56.25 * 600, Speed: 12, Course: 45},
			fix:  ptr(with(func(f *Fix) { f.Class, f.Status, f.SOG, f.COG = ClassLongRange, 1, 12, 45 })),
		},
		{
			name: "type 27 not available",
			msg:  &ais.LongRangeReport{Header: hdr(27, mmsi), Status: 1, Lat: 91 * 600, Lon: 181 * 600, Speed: 63, Course: 511},
		},
		{
			name: "type 27 speed and course not available",
			msg:  &ais.LongRangeReport{Header: hdr(27, mmsi), Status: 15, Lat: 26.5 * 600, Lon: 56.25 * 600, Speed: 63, Course: 511},
			fix:  ptr(with(func(f *Fix) { f.Class = ClassLongRange })),
		},
		{
			name: "type 5",
			msg: &ais.StaticVoyageData{Header: hdr(5, mmsi), IMO: 9123456, CallSign: "EPAB2", ShipName: "PERSIAN GULF",
				ShipType: 80, ToBow: 200, ToStern: 50, ToPort: 20, ToStarboard: 22, Month: 12, Day: 1, Hour: 6,
				Minute: 30, Draught: 125, Destination: "BANDAR ABBAS"},
			static: ptr(st(func(s *Static) {
				s.Has = HasName | HasCallSign | HasIMO | HasShipType | HasDimensions | HasVoyage
				s.IMO, s.CallSign, s.Name, s.ShipType = 9123456, "EPAB2", "PERSIAN GULF", 80
				s.ToBow, s.ToStern, s.ToPort, s.ToStarboard = 200, 50, 20, 22
				s.Draught, s.Destination, s.ETA = 12.5, "BANDAR ABBAS", "12-01T06:30Z"
			})),
		},
		{
			name: "type 5 voyage partly not available",
			msg:  &ais.StaticVoyageData{Header: hdr(5, mmsi), ShipName: "X", Month: 12, Day: 1, Hour: 24, Minute: 60, Destination: "MUSCAT"},
			static: ptr(st(func(s *Static) {
				s.Has, s.Name, s.Draught, s.Destination = HasName|HasVoyage, "X", nan, "MUSCAT"
			})),
		},
		{
			name: "type 5 nothing available",
			msg:  &ais.StaticVoyageData{Header: hdr(5, mmsi), Hour: 24, Minute: 60},
		},
		{
			name:   "type 24A",
			msg:    &ais.StaticDataReport{Header: hdr(24, mmsi), Part: 0, ShipName: "SEA HAWK"},
			static: ptr(st(func(s *Static) { s.Has, s.Name = HasName, "SEA HAWK" })),
		},
		{
			name: "type 24B",
			msg:  &ais.StaticDataReport{Header: hdr(24, mmsi), Part: 1, ShipType: 37, CallSign: "A4XY", ToBow: 5, ToStern: 7, ToPort: 2, ToStarboard: 1},
			static: ptr(st(func(s *Static) {
				s.Has = HasShipType | HasCallSign | HasDimensions
				s.ShipType, s.CallSign, s.ToBow, s.ToStern, s.ToPort, s.ToStarboard = 37, "A4XY", 5, 7, 2, 1
			})),
		},
		{
			name: "type 24B of an auxiliary craft names its mothership",
			msg:  &ais.StaticDataReport{Header: hdr(24, 984221234), Part: 1, Mothership: 422123456},
			static: ptr(st(func(s *Static) {
				s.MMSI, s.Has, s.Mothership = 984221234, HasMothership, 422123456
			})),
		},
		{
			name: "type 24 bad part",
			msg:  &ais.StaticDataReport{Header: hdr(24, mmsi), Part: 2, ShipName: "X"},
		},
		{
			name: "type 14 safety broadcast gives nothing",
			msg:  &ais.SafetyBroadcast{Header: hdr(14, 970123456), Text: "SART ACTIVE"},
		},
		{
			name: "nil message",
		},
	}
	opts := cmp.Options{cmpopts.EquateNaNs()}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fix, hasFix, st, hasStatic := FromMessage(tc.msg, now, src)
			if hasFix != (tc.fix != nil) {
				t.Fatalf("FromMessage(%T) hasFix = %v, want %v", tc.msg, hasFix, tc.fix != nil)
			}
			if tc.fix != nil {
				if diff := cmp.Diff(*tc.fix, fix, opts); diff != "" {
					t.Errorf("FromMessage(%T) fix (-want +got):\n%s", tc.msg, diff)
				}
			} else if fix != (Fix{}) {
				t.Errorf("FromMessage(%T) fix = %+v, want zero", tc.msg, fix)
			}
			if hasStatic != (tc.static != nil) {
				t.Fatalf("FromMessage(%T) hasStatic = %v, want %v", tc.msg, hasStatic, tc.static != nil)
			}
			if tc.static != nil {
				if diff := cmp.Diff(*tc.static, st, opts); diff != "" {
					t.Errorf("FromMessage(%T) static (-want +got):\n%s", tc.msg, diff)
				}
			}
		})
	}
}

// TestFromMessageDecoded runs real sentences through the ais decoder.
func TestFromMessageDecoded(t *testing.T) {
	tests := []struct {
		payload string
		fill    int
		class   Class
	}{
		{"15RTgt0PAso;90TKcjM8h6g208CQ", 0, ClassA},
		{"38Id705000rRVJhE7cl9n;160000", 0, ClassA},
		{"B52K>;h00Fc>jpUlNV@ikwpUoP06", 0, ClassB},
		{"C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220", 0, ClassB},
		{"KCQ9r=hrFUnH7P00", 0, ClassLongRange},
	}
	var dec ais.Decoder
	for _, tc := range tests {
		m, err := dec.DecodePayload([]byte(tc.payload), tc.fill)
		if err != nil {
			t.Fatalf("DecodePayload(%q): %v", tc.payload, err)
		}
		fix, ok, _, _ := FromMessage(m, 1, 70)
		lat, lon, posOK := m.(ais.Positioner).Position()
		if ok != posOK || !ok {
			t.Fatalf("FromMessage(%q) hasFix = %v, want %v", tc.payload, ok, posOK)
		}
		if fix.Lat != lat || fix.Lon != lon || fix.Class != tc.class || fix.MMSI != m.Head().MMSI {
			t.Errorf("FromMessage(%q) = %+v, want %v,%v class %v", tc.payload, fix, lat, lon, tc.class)
		}
		if fix.Heard != 0 || fix.Source != 70 {
			t.Errorf("FromMessage(%q) source %d heard %b, want 70 and none (source >= 64)", tc.payload, fix.Source, fix.Heard)
		}
	}
}

func ptr[T any](v T) *T { return &v }
