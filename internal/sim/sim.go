// Package sim is the exercise simulator: it plays a [Scenario] of
// background traffic and scripted incidents in the default region (the
// Strait of Hormuz and the Gulf of Oman) as AIS sentences with tag blocks,
// exactly as the region's receivers would send them, and writes the ground
// truth of every incident it injects.
//
// Runs are deterministic: the same scenario and seed give byte-identical
// output, whatever the pace of playing. Vessels move on legs with limited
// turn rates and accelerations, and report as ITU-R M.1371-5 specifies
// (see [ReportInterval]); a transmission is heard by each receiver in range
// unless lost at random.
//
// [New] prepares a run and [Simulator.Run] plays it into callbacks as fast
// as possible; [Player] paces it against a clock into writers. [DemoScenario]
// is a built-in scenario for a live demonstration feed.
package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"straitwatch/ais"
)

// Truth is the ground truth of one injected incident, written as a JSON
// line.
type Truth struct {
	ID      int         `json:"id"`
	Type    string      `json:"type"`
	Vessels []uint32    `json:"vessels"`
	Start   time.Time   `json:"start"`
	End     time.Time   `json:"end"`
	Place   TruthPlace  `json:"place"`
	To      *TruthPlace `json:"to,omitempty"`
	Note    string      `json:"note,omitempty"`
}

// TruthPlace is where an incident happens.
type TruthPlace struct {
	Name string  `json:"name,omitempty"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// Output receives what a run produces, in event-time order.
type Output struct {
	// AIS receives the sentences of one simulated second, each line
	// ending in "\r\n"; data is only valid during the call.
	AIS func(t time.Time, data []byte) error
	// Truth receives each incident's ground truth when the simulated time
	// reaches its start. It may be nil.
	Truth func(Truth) error
}

// Simulator plays one scenario. It is not safe for concurrent use.
type Simulator struct {
	sc      *Scenario
	rng     *rand.Rand
	vessels []*vessel
	truth   []Truth
	q       eventQueue
	seq     int
	buf     []byte
	bits    ais.Bits
	rxCos   []float64
}

// New prepares a run of sc, applying defaults to it and validating it.
func New(sc *Scenario) (*Simulator, error) {
	sc.setDefaults()
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	s := &Simulator{sc: sc, rng: rand.New(rand.NewPCG(sc.Seed, sc.Seed^0x9e3779b97f4a7c15))}
	for _, r := range sc.Receivers {
		s.rxCos = append(s.rxCos, math.Cos(r.Lat*deg))
	}
	s.addBackground()
	for i, in := range sc.Incidents {
		if err := s.addIncident(i+1, in); err != nil {
			return nil, fmt.Errorf("incident %d (%s): %w", i+1, in.Type, err)
		}
	}
	for _, v := range s.vessels {
		if v.nextPos == 0 && v.kind != kindBeacon {
			// Spread the first reports over the first interval.
			v.nextPos = v.now + int64(s.rng.IntN(int(v.interval())))
			v.nextStat = v.now + int64(s.rng.IntN(360000))
		}
		s.q.push(event{t: min(v.nextPos, v.nextStat), v: v.idx})
	}
	return s, nil
}

// Vessels returns the number of simulated stations, incidents' included.
func (s *Simulator) Vessels() int { return len(s.vessels) }

// Truths returns the ground truth of the scenario's incidents.
func (s *Simulator) Truths() []Truth { return s.truth }

// Run plays the scenario to its end, or until ctx is done, calling out as
// it goes. It returns ctx's error if ctx ended the run. A Simulator runs
// once: a second call continues where the first ended.
func (s *Simulator) Run(ctx context.Context, out Output) error {
	if out.AIS == nil {
		return errors.New("simulate: no AIS output")
	}
	start := s.sc.Start.UTC()
	end := s.sc.Duration.Milliseconds()
	nextTruth := 0
	sec := int64(-1)
	flush := func() error {
		if len(s.buf) == 0 {
			return nil
		}
		err := out.AIS(start.Add(time.Duration(sec)*time.Second), s.buf)
		s.buf = s.buf[:0]
		if err != nil {
			return fmt.Errorf("simulate: %w", err)
		}
		return ctx.Err()
	}
	for s.q.len() > 0 {
		e := s.q.pop()
		if e.t >= end {
			break
		}
		if e.t/1000 != sec {
			if err := flush(); err != nil {
				return err
			}
			sec = e.t / 1000
		}
		for nextTruth < len(s.truth) && !s.truth[nextTruth].Start.After(start.Add(time.Duration(e.t)*time.Millisecond)) {
			if out.Truth != nil {
				if err := out.Truth(s.truth[nextTruth]); err != nil {
					return fmt.Errorf("simulate: truth: %w", err)
				}
			}
			nextTruth++
		}
		v := s.vessels[e.v]
		if err := s.step(v, e.t, start); err != nil {
			return err
		}
		s.q.push(event{t: min(v.nextPos, v.nextStat), v: v.idx})
	}
	if err := flush(); err != nil {
		return err
	}
	for ; nextTruth < len(s.truth); nextTruth++ {
		if out.Truth != nil && s.truth[nextTruth].Start.Before(start.Add(s.sc.Duration)) {
			if err := out.Truth(s.truth[nextTruth]); err != nil {
				return fmt.Errorf("simulate: truth: %w", err)
			}
		}
	}
	return nil
}

// step moves v to t and sends what is due.
func (s *Simulator) step(v *vessel, t int64, start time.Time) error {
	v.advance(t, s.replan)
	at := start.Add(time.Duration(t) * time.Millisecond)
	if t >= v.nextPos {
		if !v.isDark(t) {
			m := v.positionMessage(t, uint8(at.Second()), uint32(hash(s.sc.Seed, uint64(v.mmsi), uint64(t), 7)))
			if err := s.transmit(v, t, at, m); err != nil {
				return err
			}
		}
		v.nextPos = t + v.interval()
		v.burst++
	}
	if t >= v.nextStat {
		if !v.isDark(t) {
			if v.kind == kindBeacon {
				m := &ais.SafetyBroadcast{Header: ais.Header{Type: 14, MMSI: v.mmsi}, Text: v.text}
				if err := s.transmit(v, t, at, m); err != nil {
					return err
				}
			} else {
				for _, m := range v.staticMessages() {
					if err := s.transmit(v, t, at, m); err != nil {
						return err
					}
				}
			}
		}
		if v.kind == kindBeacon {
			v.nextStat = t + 4*60000
		} else {
			v.nextStat = t + 6*60000
		}
	}
	return nil
}

// transmit sends m from v at t to every receiver that hears it.
func (s *Simulator) transmit(v *vessel, t int64, at time.Time, m ais.Message) error {
	if err := ais.Encode(m, &s.bits); err != nil {
		return fmt.Errorf("simulate: vessel %d: %w", v.mmsi, err)
	}
	s.seq++
	f := ais.Framing{Time: at, Channel: "AB"[s.seq&1], Seq: s.seq % 10, GroupID: 1 + s.seq%99999}
	for i := range s.sc.Receivers {
		if !s.hears(i, v, t) {
			continue
		}
		f.Source = s.sc.Receivers[i].Name
		var err error
		if s.buf, err = s.bits.AppendSentences(s.buf, f); err != nil {
			return fmt.Errorf("simulate: vessel %d: %w", v.mmsi, err)
		}
	}
	return nil
}

// hears reports whether receiver i hears v's transmission at t. A coastal
// receiver hears stations within its range, each transmission lost with
// probability loss + (1-loss)·0.3·(d/range)^8; a satellite hears the whole
// region during its passes, losing Loss of them.
func (s *Simulator) hears(i int, v *vessel, t int64) bool {
	r := &s.sc.Receivers[i]
	u := float64(hash(s.sc.Seed, uint64(v.mmsi), uint64(t), uint64(i+100))>>11) / (1 << 53)
	if r.Satellite {
		return t%r.PassEvery.Milliseconds() < r.PassLength.Milliseconds() && u >= r.Loss
	}
	dy := (v.pos.Lat - r.Lat) * 60
	dx := (v.pos.Lon - r.Lon) * 60 * s.rxCos[i]
	d := math.Sqrt(dx*dx+dy*dy) / r.RangeNM
	if d > 1 {
		return false
	}
	d2 := d * d
	return u >= r.Loss+(1-r.Loss)*0.3*d2*d2*d2*d2
}

// hash mixes its arguments (splitmix64), for random draws that do not
// depend on the order of events.
func hash(a ...uint64) uint64 {
	h := uint64(0x243f6a8885a308d3)
	for _, x := range a {
		h ^= x
		h += 0x9e3779b97f4a7c15
		h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
		h = (h ^ h>>27) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

// event is a vessel due to transmit at t (ms since the start).
type event struct {
	t int64
	v int
}

// eventQueue is a min-heap of events by time, then vessel index.
type eventQueue struct{ h []event }

func (q *eventQueue) len() int { return len(q.h) }

func less(a, b event) bool { return a.t < b.t || a.t == b.t && a.v < b.v }

func (q *eventQueue) push(e event) {
	q.h = append(q.h, e)
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !less(q.h[i], q.h[p]) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

func (q *eventQueue) pop() event {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	q.h = q.h[:n]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && less(q.h[l], q.h[m]) {
			m = l
		}
		if r < n && less(q.h[r], q.h[m]) {
			m = r
		}
		if m == i {
			return top
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
}
