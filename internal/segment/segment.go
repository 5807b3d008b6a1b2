// Package segment splits the fixes of one MMSI into track segments, each
// the positions of what is most likely one transmitter.
//
// An MMSI is an identity a station claims, not a hull: two stations may
// use the same MMSI at once (a default or mistyped MMSI, a cloned
// identity, a spoofed one), and a single station may send a stray
// position. Judging such a stream as one track draws zig-zags across the
// sea and hides the two vessels behind it. Like GlobalFishingWatch's
// gpsdio-segment, a fix joins the open segment of its MMSI to which the
// speed it implies is plausible and least; when none is plausible it
// opens a new segment. Segments close after a silence, and the number of
// open segments per MMSI is bounded, so a flood of bad positions costs a
// fixed amount of memory.
//
// Per-fix work is a loop over at most [Config.MaxOpen] segments, with no
// allocation once an MMSI's segments exist.
package segment

import (
	"errors"
	"fmt"
	"math"
	"time"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// Config holds the segmentation thresholds. [DefaultConfig] returns the
// defaults.
type Config struct {
	// MaxSpeed is the highest plausible speed between two fixes of one
	// transmitter, in knots. The default value is 50 kn: fast craft in
	// narrow waters do 45 kn and more (gpsdio-segment uses 25 kn for
	// fishing fleets).
	MaxSpeed float64
	// NoiseDistance is a distance, in metres, within which a fix always
	// fits a segment whatever the time between them: position noise and
	// receivers' time stamps must not split a track. The default value
	// is 500 m (gpsdio-segment's noise distance).
	NoiseDistance float64
	// TimeSlack is added to the time between two fixes before the
	// implied speed is computed, so that fixes close in time (time
	// stamps to the second, or a receiver's clock off by a few seconds)
	// do not imply huge speeds. The default value is 1 minute
	// (gpsdio-segment buffers 5 minutes).
	TimeSlack time.Duration
	// MaxGap closes a segment that has had no fix for this long of the
	// MMSI's event time. The default value is 6 hours.
	MaxGap time.Duration
	// MaxOpen bounds the open segments per MMSI; opening one more closes
	// the one with the oldest last fix. The default value is 4.
	MaxOpen int
}

// DefaultConfig returns the default configuration.
func DefaultConfig() Config {
	return Config{MaxSpeed: 50, NoiseDistance: 500, TimeSlack: time.Minute, MaxGap: 6 * time.Hour, MaxOpen: 4}
}

// Validate reports whether c is usable.
func (c *Config) Validate() error {
	var errs []error
	if !(c.MaxSpeed > 0) {
		errs = append(errs, errors.New("MaxSpeed must be positive"))
	}
	if !(c.NoiseDistance >= 0) {
		errs = append(errs, errors.New("NoiseDistance must not be negative"))
	}
	if c.TimeSlack < 0 {
		errs = append(errs, errors.New("TimeSlack must not be negative"))
	}
	if c.MaxGap <= 0 {
		errs = append(errs, errors.New("MaxGap must be positive"))
	}
	if c.MaxOpen < 1 || c.MaxOpen > 64 {
		errs = append(errs, errors.New("MaxOpen must be 1 to 64"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("segment config: %w", err)
	}
	return nil
}

// ID numbers the segments of one MMSI in the order they opened, from 1;
// 0 means no segment.
type ID uint32

// Outcome says what became of a fix.
type Outcome uint8

// Outcomes of [MMSI.Add].
const (
	Joined  Outcome = iota + 1 // the fix joined an open segment
	Opened                     // the fix opened a new segment
	Skipped                    // the position was not available (lat 91, lon 181 or out of range): no segment
)

// String returns the outcome's lowercase name.
func (o Outcome) String() string {
	switch o {
	case Joined:
		return "joined"
	case Opened:
		return "opened"
	case Skipped:
		return "skipped"
	}
	return "invalid"
}

// Segment is one open segment, as [MMSI.Open] shows it.
type Segment struct {
	ID    ID
	First track.Fix // the fix that opened it
	Last  track.Fix // its fix with the newest event time
	Fixes int       // fixes it holds
}

// Result is what [MMSI.Add] did with a fix.
type Result struct {
	Outcome Outcome
	Seg     ID // the segment the fix is in; 0 when Skipped
	// Speed is the implied speed, in knots, from the last fix of the
	// segment the fix joined or, when it opened one, from the open
	// segment it fitted best; NaN when no segment was open. Fixes
	// within NoiseDistance count 0 kn.
	Speed float64
	// Distance is the distance in metres from the fix to the last fix of
	// that segment; NaN when no segment was open. Moves of less than
	// about 20 km are measured on a flat earth, within 0.01 % of the
	// great circle.
	Distance float64
	// Nearest is that segment's ID: the one joined or, when Opened, the
	// best rejected one (0 when none was open).
	Nearest ID
	// Closed counts the segments the fix closed: silent for MaxGap, or
	// the oldest one when MaxOpen were open.
	Closed int
	// Prev is, when the fix Opened a segment, the newest fix of the
	// open segments before it (what the fix jumped from); HasPrev says
	// there was one.
	Prev    track.Fix
	HasPrev bool
}

// MMSI holds the open segments of one MMSI. Its zero value is not
// usable: use [NewMMSI] or [MMSI.Init]. It must not be copied after
// that, and is not safe for concurrent use.
type MMSI struct {
	cfg     *Config
	open    []Segment
	next    ID
	newest  int64 // newest event time of any fix, UNIX ms
	oldest  int64 // at most the oldest Last.Time of the open segments, so most calls need not look at them
	skipped uint64
	// inline holds the first open segment: most MMSIs never have
	// another, and it saves them an allocation and a pointer to follow.
	inline [1]Segment
}

// NewMMSI returns empty segment state for one MMSI under cfg, which must
// be valid and must not change while the state is in use.
func NewMMSI(cfg *Config) *MMSI {
	m := new(MMSI)
	m.Init(cfg)
	return m
}

// Init makes m empty state under cfg, as NewMMSI does, for an MMSI held
// inside a larger struct: one allocation and one pointer fewer per
// vessel.
func (m *MMSI) Init(cfg *Config) {
	// The slice grows as segments open, from the inline one: most
	// MMSIs never have more than one, and MaxOpen may be large.
	*m = MMSI{cfg: cfg}
	m.open = m.inline[:0]
}

// Available reports whether f carries a position: AIS sends latitude 91
// and longitude 181 when it has none.
func Available(f *track.Fix) bool {
	return f.Lat >= -90 && f.Lat <= 90 && f.Lon >= -180 && f.Lon <= 180
}

// ImpliedSpeed returns the speed, in knots, that moving between a and b
// implies, with slack added to the time between them, and the distance
// in metres. Positions within noise metres imply 0 kn.
func ImpliedSpeed(a, b *track.Fix, slack time.Duration, noise float64) (kn, dist float64) {
	dist = geo.Distance(a.Lat, a.Lon, b.Lat, b.Lon)
	return speedOf(a, b, dist, slack, noise), dist
}

// speedOf returns the speed in knots of covering dist metres between
// a's and b's times plus slack; 0 within noise metres.
func speedOf(a, b *track.Fix, dist float64, slack time.Duration, noise float64) float64 {
	if dist <= noise {
		return 0
	}
	dt := b.Time - a.Time
	if dt < 0 {
		dt = -dt
	}
	h := float64(dt+slack.Milliseconds()) / float64(time.Hour.Milliseconds())
	if h <= 0 {
		return math.Inf(1)
	}
	return dist / geo.NauticalMile / h
}

// shortMove is the largest difference of latitude or longitude, in
// degrees (about 22 km), for which impliedSpeed takes the flat-earth
// distance as exact.
const shortMove = 0.2

// impliedSpeed is ImpliedSpeed under m's config, made cheaper for the
// two common cases. A vessel's next fix a short way on (below shortMove
// and 80 degrees of latitude): the equirectangular distance is within
// 0.01 % of the great circle, at a third of the haversine's cost. A fix
// of another transmitter far away (below 70 degrees of latitude, within
// 90 degrees of longitude): the equirectangular distance is within 15 %
// of the great circle there, so a speed over twice MaxSpeed by it is
// implausible for sure, and exact reports false. Otherwise it is the
// haversine's.
func (m *MMSI) impliedSpeed(a, b *track.Fix) (kn, dist float64, exact bool) {
	dlat, dlon := b.Lat-a.Lat, b.Lon-a.Lon
	if dlon > 180 {
		dlon -= 360
	} else if dlon < -180 {
		dlon += 360
	}
	short := dlat <= shortMove && dlat >= -shortMove && dlon <= shortMove && dlon >= -shortMove && a.Lat <= 80 && a.Lat >= -80
	near := a.Lat <= 70 && a.Lat >= -70 && b.Lat <= 70 && b.Lat >= -70 && dlon <= 90 && dlon >= -90
	if !short && !near {
		kn, dist = ImpliedSpeed(a, b, m.cfg.TimeSlack, m.cfg.NoiseDistance)
		return kn, dist, true
	}
	x := dlon * rad * math.Cos((a.Lat+b.Lat)/2*rad)
	y := dlat * rad
	dist = geo.EarthRadius * math.Sqrt(x*x+y*y)
	kn = speedOf(a, b, dist, m.cfg.TimeSlack, m.cfg.NoiseDistance)
	if short {
		return kn, dist, true
	}
	if kn > 2*m.cfg.MaxSpeed {
		return kn, dist, false
	}
	kn, dist = ImpliedSpeed(a, b, m.cfg.TimeSlack, m.cfg.NoiseDistance)
	return kn, dist, true
}

const rad = math.Pi / 180

// Add puts f into a segment: the open one with the least plausible
// implied speed, else a new one. Fixes older than the newest (late data)
// are judged the same way, against each segment's newest fix.
func (m *MMSI) Add(f *track.Fix) Result {
	if !Available(f) {
		m.skipped++
		return Result{Outcome: Skipped, Speed: math.NaN(), Distance: math.NaN()}
	}
	r := Result{Speed: math.NaN(), Distance: math.NaN()}
	if f.Time > m.newest {
		m.newest = f.Time
	}
	r.Closed = m.expire(m.newest)
	best, exact := -1, true
	for i := range m.open {
		kn, d, ex := m.impliedSpeed(&m.open[i].Last, f)
		if best < 0 || kn < r.Speed || (kn == r.Speed && m.open[i].Last.Time > m.open[best].Last.Time) {
			best, r.Speed, r.Distance, exact = i, kn, d, ex
		}
	}
	if best >= 0 && !exact {
		// Every open segment is far and implausible: the Result
		// reports the best one exactly.
		r.Speed, r.Distance = ImpliedSpeed(&m.open[best].Last, f, m.cfg.TimeSlack, m.cfg.NoiseDistance)
	}
	if best >= 0 {
		r.Nearest = m.open[best].ID
		if r.Speed <= m.cfg.MaxSpeed {
			s := &m.open[best]
			s.Fixes++
			if f.Time >= s.Last.Time {
				s.Last = *f
			}
			r.Outcome, r.Seg = Joined, s.ID
			return r
		}
	}
	for i := range m.open {
		if !r.HasPrev || m.open[i].Last.Time > r.Prev.Time {
			r.Prev, r.HasPrev = m.open[i].Last, true
		}
	}
	if len(m.open) == m.cfg.MaxOpen {
		oldest := 0
		for i := range m.open {
			if m.open[i].Last.Time < m.open[oldest].Last.Time {
				oldest = i
			}
		}
		m.open = append(m.open[:oldest], m.open[oldest+1:]...)
		r.Closed++
	}
	m.next++
	if len(m.open) == 0 || f.Time < m.oldest {
		m.oldest = f.Time
	}
	m.open = append(m.open, Segment{ID: m.next, First: *f, Last: *f, Fixes: 1})
	r.Outcome, r.Seg = Opened, m.next
	return r
}

// Expire closes the segments silent for MaxGap at event time now and
// returns how many it closed.
func (m *MMSI) Expire(now int64) int {
	if now > m.newest {
		m.newest = now
	}
	return m.expire(m.newest)
}

func (m *MMSI) expire(now int64) int {
	cut := now - m.cfg.MaxGap.Milliseconds()
	if len(m.open) == 0 || m.oldest >= cut {
		return 0
	}
	n := 0
	kept := m.open[:0]
	m.oldest = math.MaxInt64
	for _, s := range m.open {
		if s.Last.Time < cut {
			n++
			continue
		}
		kept = append(kept, s)
		m.oldest = min(m.oldest, s.Last.Time)
	}
	m.open = kept
	return n
}

// Open returns the open segments, oldest opened first. The slice is
// valid until the next Add or Expire and must not be changed.
func (m *MMSI) Open() []Segment { return m.open }

// Segment returns the open segment with the given ID.
func (m *MMSI) Segment(id ID) (Segment, bool) {
	for _, s := range m.open {
		if s.ID == id {
			return s, true
		}
	}
	return Segment{}, false
}

// Segments returns how many segments have been opened in all.
func (m *MMSI) Segments() int { return int(m.next) }

// Skipped returns how many fixes had no position available.
func (m *MMSI) Skipped() uint64 { return m.skipped }

// Segmenter segments the fixes of many MMSIs. It is not safe for
// concurrent use: shard MMSIs over several Segmenters instead.
type Segmenter struct {
	cfg   Config
	mmsis map[uint32]*MMSI
}

// New returns a Segmenter, or an error when cfg is not valid.
func New(cfg Config) (*Segmenter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Segmenter{cfg: cfg, mmsis: make(map[uint32]*MMSI)}, nil
}

// Add puts f into a segment of its MMSI; see [MMSI.Add].
func (s *Segmenter) Add(f *track.Fix) Result {
	return s.MMSI(f.MMSI).Add(f)
}

// MMSI returns the segment state of one MMSI, creating it if need be.
func (s *Segmenter) MMSI(mmsi uint32) *MMSI {
	m := s.mmsis[mmsi]
	if m == nil {
		m = NewMMSI(&s.cfg)
		s.mmsis[mmsi] = m
	}
	return m
}

// Len returns the number of MMSIs seen.
func (s *Segmenter) Len() int { return len(s.mmsis) }
