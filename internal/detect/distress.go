package detect

import (
	"strings"

	"straitwatch/internal/track"
)

type distressState struct {
	open       bool
	id         string
	start      int64
	lastHeard  int64
	lastUpdate int64
	test       bool // a TEST text or test status was seen: record, no alarm
	active     bool // an ACTIVE text was seen
	ev         Event
}

// distressDetector raises distress events for AIS-SART (970), MOB (972)
// and EPIRB-AIS (974) devices, for navigational status 14 (AIS-SART
// active) and for "... ACTIVE" safety texts. A device in test mode
// (status 15 from a device, or a text containing "TEST") is recorded
// with Alarm false.
type distressDetector struct {
	cfg DistressConfig
}

// deviceKind returns "sart", "mob" or "epirb" for the MMSI of a
// distress device, "" otherwise.
func deviceKind(mmsi uint32) string {
	switch mmsi / 1_000_000 {
	case 970:
		return "sart"
	case 972:
		return "mob"
	case 974:
		return "epirb"
	}
	return ""
}

// statusSARTActive is navigational status 14, "AIS-SART is active".
const statusSARTActive = 14

// statusUndefined is navigational status 15; a device sends it in test mode.
const statusUndefined = 15

func (d *distressDetector) Fix(v *Vessel, f *track.Fix, late bool, e *Emitter) {
	dev := deviceKind(f.MMSI)
	st := &v.distress
	if dev == "" && f.Status != statusSARTActive && !st.open {
		return
	}
	if late {
		return
	}
	if st.open {
		st.lastHeard = f.Time
		if f.Time-st.lastUpdate >= d.cfg.UpdateEvery.Milliseconds() {
			st.lastUpdate = f.Time
			st.ev.Lat, st.ev.Lon = f.Lat, f.Lon
			st.ev.Evidence.Fixes = appendCapped(st.ev.Evidence.Fixes, *f, 16)
			d.emit(st, StateUpdate, e)
		}
		return
	}
	conf := 0.8
	figs := []Figure{{Name: "nav_status", Value: float64(f.Status), Op: "==", Threshold: statusSARTActive}}
	if f.Status == statusSARTActive {
		conf = 1
	}
	if dev != "" {
		figs = append(figs, Figure{Name: "mmsi_prefix", Value: float64(f.MMSI / 1_000_000), Op: "==", Threshold: float64(f.MMSI / 1_000_000)})
		if f.Status == statusUndefined {
			st.test = true
		}
	} else {
		conf = 0.7 // status 14 from a ship's own MMSI: a misconfigured set is common
	}
	*st = distressState{open: true, start: f.Time, lastHeard: f.Time, lastUpdate: f.Time, test: st.test, active: st.active}
	st.id = eventID(TypeDistress, f.MMSI, f.Time, "")
	st.ev = Event{ID: st.id, Type: TypeDistress, Start: f.Time, Vessels: []uint32{f.MMSI}, Lat: f.Lat, Lon: f.Lon,
		Confidence: conf, Evidence: Evidence{Fixes: []track.Fix{*f}, Figures: figs}}
	d.emit(st, StateOpen, e)
}

func (d *distressDetector) emit(st *distressState, s State, e *Emitter) {
	st.ev.Alarm = !st.test || st.active
	if st.active {
		st.ev.Confidence = 1
	}
	ev := st.ev
	ev.State = s
	ev.Vessels = append([]uint32(nil), st.ev.Vessels...)
	ev.Evidence.Fixes = append([]track.Fix(nil), st.ev.Evidence.Fixes...)
	ev.Evidence.Figures = append([]Figure(nil), st.ev.Evidence.Figures...)
	e.Emit(ev)
}

func (d *distressDetector) Static(*Vessel, *track.Static, *Emitter) {}

// Safety reads safety texts: "SART ACTIVE", "MOB ACTIVE", "EPIRB ACTIVE"
// raise or confirm an alarm; a text containing "TEST" marks the
// sender's distress event as a test.
func (d *distressDetector) Safety(v *Vessel, t *track.Text, e *Emitter) {
	up := strings.ToUpper(t.Text)
	isTest := strings.Contains(up, "TEST")
	isActive := !isTest && strings.Contains(up, "ACTIVE") &&
		(strings.Contains(up, "SART") || strings.Contains(up, "MOB") || strings.Contains(up, "EPIRB"))
	if !isTest && !isActive {
		return
	}
	st := &v.distress
	if !st.open {
		if !isActive && deviceKind(t.MMSI) == "" {
			return
		}
		*st = distressState{open: true, start: t.Time, lastHeard: t.Time, lastUpdate: t.Time}
		st.id = eventID(TypeDistress, t.MMSI, t.Time, "")
		st.ev = Event{ID: st.id, Type: TypeDistress, Start: t.Time, Vessels: []uint32{t.MMSI}, Confidence: 0.9}
		if v.HasLast {
			st.ev.Lat, st.ev.Lon = v.Last.Lat, v.Last.Lon
			st.ev.Evidence.Fixes = []track.Fix{v.Last}
		}
		st.test, st.active = isTest, isActive
		st.ev.Evidence.Text = t.Text
		d.emit(st, StateOpen, e)
		return
	}
	st.test = st.test || isTest
	st.active = st.active || isActive
	st.ev.Evidence.Text = t.Text
	st.lastHeard = max(st.lastHeard, t.Time)
	d.emit(st, StateUpdate, e)
}

func (d *distressDetector) Advance(v *Vessel, wm int64, e *Emitter) {
	st := &v.distress
	if !st.open || wm-st.lastHeard < d.cfg.CloseAfter.Milliseconds() {
		return
	}
	st.ev.End = st.lastHeard
	st.ev.Evidence.Figures = append(st.ev.Evidence.Figures, Figure{Name: "silence", Value: float64(wm-st.lastHeard) / 1000, Op: ">=", Threshold: d.cfg.CloseAfter.Seconds(), Unit: "s"})
	d.emit(st, StateClose, e)
	*st = distressState{}
}

func appendCapped(fs []track.Fix, f track.Fix, n int) []track.Fix {
	if len(fs) >= n {
		copy(fs[1:], fs[2:]) // keep the first fix, drop the oldest after it
		fs = fs[:len(fs)-1]
	}
	return append(fs, f)
}
