package detect

import (
	"fmt"

	"straitwatch/internal/track"
)

// IdentityFlagChange is an IMO number reappearing under an MMSI of
// another flag: a ship re-flagged, or one identity borrowed by another
// station. The flag comes from the MMSI's MID, so it cannot change within
// one MMSI; only the IMO number, which stays with the hull, ties the two.
const IdentityFlagChange = "flag_change"

// flags remembers the MMSI and flag each IMO number was last sent with.
// Every static report passes through Engine.Process, so one map there
// sees what no shard alone can: two MMSIs of one ship.
type flags struct {
	byIMO map[uint32]imoSeen
	last  map[uint32]track.Fix // latest fix of each MMSI that sent an IMO number
	out   Emitter
}

// fix keeps f when its MMSI has sent an IMO number, for the evidence.
func (g *flags) fix(f *track.Fix) {
	if l, ok := g.last[f.MMSI]; ok && f.Time >= l.Time {
		g.last[f.MMSI] = *f
	}
}

type imoSeen struct {
	mmsi uint32
	flag string
	time int64
}

// static judges one static report.
func (g *flags) static(s *track.Static) {
	if s.Has&track.HasIMO == 0 || s.IMO == 0 {
		return
	}
	flag, _, ok := track.FlagOf(s.MMSI)
	if !ok || track.KindOf(s.MMSI) != track.KindShip {
		return
	}
	if g.byIMO == nil {
		g.byIMO, g.last = make(map[uint32]imoSeen), make(map[uint32]track.Fix)
	}
	if _, ok := g.last[s.MMSI]; !ok {
		g.last[s.MMSI] = track.Fix{}
	}
	prev, seen := g.byIMO[s.IMO]
	if s.Time >= prev.time {
		g.byIMO[s.IMO] = imoSeen{mmsi: s.MMSI, flag: flag, time: s.Time}
	}
	if !seen || prev.mmsi == s.MMSI || prev.flag == flag {
		return
	}
	e := Event{
		ID:   eventID(TypeIdentity, s.MMSI, s.Time, IdentityFlagChange+":"+fmt.Sprint(s.IMO)),
		Type: TypeIdentity, State: StateOpen, Start: s.Time, Vessels: []uint32{s.MMSI, prev.mmsi},
		Confidence: 0.8, Alarm: true,
		Evidence: Evidence{Rule: IdentityFlagChange,
			Text:    fmt.Sprintf("IMO %d was sent by MMSI %d (%s), now by MMSI %d (%s)", s.IMO, prev.mmsi, prev.flag, s.MMSI, flag),
			Changes: []Change{{Time: s.Time, Field: "flag", Old: prev.flag, New: flag}},
			Figures: []Figure{{Name: "imo", Value: float64(s.IMO)},
				{Name: "since_other_mmsi", Value: float64(s.Time-prev.time) / 1000, Unit: "s"}}},
	}
	for _, m := range []uint32{s.MMSI, prev.mmsi} {
		if f := g.last[m]; f.Time != 0 {
			e.Evidence.Fixes = append(e.Evidence.Fixes, f)
		}
	}
	if len(e.Evidence.Fixes) > 0 {
		e.Lat, e.Lon = e.Evidence.Fixes[0].Lat, e.Evidence.Fixes[0].Lon
	}
	g.out.Emit(e)
}
