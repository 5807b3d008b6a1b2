// Package score scores detected events against a scenario's ground truth:
// precision, recall and detection delay per event type. It is the
// exercise debrief of issue 5 and the measure of detection quality.
//
// # Inputs
//
// The truth is the JSON lines `straitwatch simulate -truth` writes (see
// sim.Truth): {"id","type","vessels","start","end","place","to","note"}.
// The events are the JSON lines `straitwatch replay -events` prints, one
// detect.Event per state change, with Go field names. Both are decoded
// strictly: a malformed line or an unknown field is an error naming the
// line number.
//
// # Matching rule
//
// Events are first merged by ID: the state changes of one ID are one
// event, whose start is the Start of its first "open" message (or the
// earliest Start of its messages when no open was seen). An event of
// which any message is a retraction is dropped: it counts neither as a
// true nor as a false positive.
//
// An event matches a truth incident when all of these hold:
//
//   - its type is one [Mapping] lists for the incident's type;
//   - it shares at least one vessel (MMSI) with the incident;
//   - its start lies within [truth start − slack, truth end + slack],
//     bounds included ([DefaultSlack] unless set).
//
// An event that matches at least one incident is a true positive, any
// other event of a scored type is a false positive. An incident that no
// event matches is a false negative (a miss). Several events matching one
// incident are all true positives, but the incident is found once: recall
// counts incidents, precision counts events. Events of types that no
// truth type maps to (for example "speed") are listed but not scored.
//
// Detection delay is, per found incident, the earliest start of its
// matching events minus the truth start. It is measured in event time:
// a detect.Event does not carry the wall-clock time it was emitted, so
// the delay says when the detector places the event, not how long the
// alert took. It may be negative (a gap starts at the last fix heard).
// Median and p90 use the nearest-rank method.
package score

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// DefaultSlack is the time tolerance of the matching rule.
const DefaultSlack = 15 * time.Minute

// Mapping lists, for each truth incident type, the event types that
// detect it, the primary one first. A missed incident is counted against
// its primary event type. An empty list means no detector exists yet.
var Mapping = map[string][]string{
	"dark":             {"gap"},
	"sts":              {"encounter"},
	"cloned_mmsi":      {"identity"},
	"wrong_way":        {"tss"},
	"collision_course": {"collision_risk"},
	"man_overboard":    {"distress"},
	"disabled_sart":    {"distress"},
	"loitering":        {"loitering"},
	"restricted_area":  {"zone"},
	"spoof_circle":     {"identity"},
	"spoof_offset":     {"identity"},
	"spoof_teleport":   {"identity"},
}

// Truth is one injected incident, as written by the simulator.
type Truth struct {
	ID      int       `json:"id"`
	Type    string    `json:"type"`
	Vessels []uint32  `json:"vessels"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Place   Place     `json:"place"`
	To      *Place    `json:"to,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// Place is where an incident happens.
type Place struct {
	Name string  `json:"name,omitempty"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// Event is one detected event after its state changes are merged.
type Event struct {
	ID        string
	Type      string
	Start     time.Time // start of the first open message
	Vessels   []uint32
	Retracted bool // some message of the ID retracted it
}

// eventLine is one state change as `replay -events` prints it.
type eventLine struct {
	ID         string
	Type       string
	State      json.RawMessage
	Start      int64
	End        int64
	Vessels    []uint32
	Lat        float64
	Lon        float64
	Zone       string
	Confidence float64
	Alarm      bool
	Evidence   json.RawMessage
	// The API's form (/api/events) adds these.
	Severity string
	Acks     json.RawMessage
}

// decodeLine decodes one JSON object strictly into v.
func decodeLine(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
}

// lines calls fn with each non-blank line of r and its 1-based number,
// and wraps fn's error with the line number.
func lines(r io.Reader, name string, fn func(line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		l := bytes.TrimSpace(sc.Bytes())
		if len(l) == 0 {
			continue
		}
		if err := fn(l); err != nil {
			return fmt.Errorf("%s line %d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s after line %d: %w", name, n, err)
	}
	return nil
}

// ReadTruth reads ground-truth JSON lines; name labels errors.
func ReadTruth(r io.Reader, name string) ([]Truth, error) {
	var out []Truth
	err := lines(r, name, func(l []byte) error {
		var t Truth
		if err := decodeLine(l, &t); err != nil {
			return err
		}
		switch {
		case t.Type == "":
			return errors.New("missing type")
		case len(t.Vessels) == 0:
			return errors.New("no vessels")
		case t.Start.IsZero() || t.End.IsZero():
			return errors.New("missing start or end")
		case t.End.Before(t.Start):
			return fmt.Errorf("end %s before start %s", t.End.Format(time.RFC3339), t.Start.Format(time.RFC3339))
		}
		if _, ok := Mapping[t.Type]; !ok {
			return fmt.Errorf("unknown incident type %q", t.Type)
		}
		out = append(out, t)
		return nil
	})
	return out, err
}

// parseState returns the state of a message: a number 1-4 as detect.State
// encodes it, or its name.
func parseState(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", errors.New("missing State")
	}
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		names := []string{"", "open", "update", "close", "retract"}
		if n < 1 || n >= len(names) {
			return "", fmt.Errorf("invalid State %d", n)
		}
		return names[n], nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("field State %s: want a number or a name", raw)
	}
	switch s {
	case "open", "update", "close", "retract":
		return s, nil
	}
	return "", fmt.Errorf("invalid State %q", s)
}

// ReadEvents reads event JSON lines and merges them by ID, in order of
// first appearance; name labels errors.
func ReadEvents(r io.Reader, name string) ([]Event, error) {
	var out []Event
	index := map[string]int{}
	opened := map[string]bool{}
	err := lines(r, name, func(l []byte) error {
		var e eventLine
		if err := decodeLine(l, &e); err != nil {
			return err
		}
		state, err := parseState(e.State)
		if err != nil {
			return err
		}
		switch {
		case e.ID == "":
			return errors.New("missing ID")
		case e.Type == "":
			return errors.New("missing Type")
		case len(e.Vessels) == 0:
			return errors.New("no Vessels")
		}
		start := time.UnixMilli(e.Start).UTC()
		i, ok := index[e.ID]
		if !ok {
			i = len(out)
			index[e.ID] = i
			out = append(out, Event{ID: e.ID, Type: e.Type, Start: start})
			opened[e.ID] = state == "open"
		}
		ev := &out[i]
		if ev.Type != e.Type {
			return fmt.Errorf("event %s: type %q, earlier %q", e.ID, e.Type, ev.Type)
		}
		switch {
		case state == "open" && !opened[e.ID]:
			ev.Start, opened[e.ID] = start, true
		case !opened[e.ID] && start.Before(ev.Start):
			ev.Start = start
		}
		for _, v := range e.Vessels {
			if !slices.Contains(ev.Vessels, v) {
				ev.Vessels = append(ev.Vessels, v)
			}
		}
		if state == "retract" {
			ev.Retracted = true
		}
		return nil
	})
	return out, err
}

// Match reports whether event e matches truth incident t under the
// package's matching rule with the given slack. Retracted events never
// match.
func Match(t Truth, e Event, slack time.Duration) bool {
	if e.Retracted || !slices.Contains(Mapping[t.Type], e.Type) {
		return false
	}
	if e.Start.Before(t.Start.Add(-slack)) || e.Start.After(t.End.Add(slack)) {
		return false
	}
	for _, v := range e.Vessels {
		if slices.Contains(t.Vessels, v) {
			return true
		}
	}
	return false
}

// Row is the score of one event type.
type Row struct {
	EventType  string
	TruthTypes []string // truth types this event type detects
	Scored     bool     // some truth type maps to this event type
	TP, FP     int      // events
	Retracted  int      // events dropped as retracted
	Incidents  int      // incidents counted against this type
	Found      int      // of them, found
	Delays     []time.Duration
}

// FN returns the number of missed incidents.
func (r Row) FN() int { return r.Incidents - r.Found }

// Precision returns TP/(TP+FP), NaN when there are no events.
func (r Row) Precision() float64 { return ratio(r.TP, r.TP+r.FP) }

// Recall returns found/incidents, NaN when there are no incidents.
func (r Row) Recall() float64 { return ratio(r.Found, r.Incidents) }

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// IncidentRow is the score of one truth incident type.
type IncidentRow struct {
	TruthType  string
	EventTypes []string // empty: no detector
	Incidents  int
	Found      int
	Delays     []time.Duration
}

// Report is the result of scoring.
type Report struct {
	Slack     time.Duration
	Rows      []Row         // by event type, sorted by name
	Incidents []IncidentRow // by truth type, sorted by name
	Missed    []Truth       // incidents with no matching event
}

// Score scores events against truth with the given slack.
func Score(truth []Truth, events []Event, slack time.Duration) *Report {
	rep := &Report{Slack: slack}
	rows := map[string]*Row{}
	row := func(et string) *Row {
		r, ok := rows[et]
		if !ok {
			r = &Row{EventType: et}
			rows[et] = r
		}
		return r
	}
	for tt, ets := range Mapping {
		for _, et := range ets {
			r := row(et)
			r.Scored = true
			r.TruthTypes = append(r.TruthTypes, tt)
		}
	}
	matched := make([]bool, len(events))
	inc := map[string]*IncidentRow{}
	for _, t := range truth {
		ir, ok := inc[t.Type]
		if !ok {
			ir = &IncidentRow{TruthType: t.Type, EventTypes: Mapping[t.Type]}
			inc[t.Type] = ir
		}
		ir.Incidents++
		first := -1
		for i, e := range events {
			if Match(t, e, slack) {
				matched[i] = true
				if first < 0 || e.Start.Before(events[first].Start) {
					first = i
				}
			}
		}
		ets := Mapping[t.Type]
		if len(ets) == 0 {
			rep.Missed = append(rep.Missed, t)
			continue
		}
		if first < 0 {
			row(ets[0]).Incidents++
			rep.Missed = append(rep.Missed, t)
			continue
		}
		d := events[first].Start.Sub(t.Start)
		r := row(events[first].Type)
		r.Incidents++
		r.Found++
		r.Delays = append(r.Delays, d)
		ir.Found++
		ir.Delays = append(ir.Delays, d)
	}
	for i, e := range events {
		r := row(e.Type)
		switch {
		case e.Retracted:
			r.Retracted++
		case matched[i]:
			r.TP++
		default:
			r.FP++
		}
	}
	for _, r := range rows {
		if r.TP+r.FP+r.Retracted+r.Incidents == 0 {
			continue // a mapped type with nothing to score
		}
		sort.Strings(r.TruthTypes)
		slices.Sort(r.Delays)
		rep.Rows = append(rep.Rows, *r)
	}
	sort.Slice(rep.Rows, func(i, j int) bool { return rep.Rows[i].EventType < rep.Rows[j].EventType })
	for _, ir := range inc {
		slices.Sort(ir.Delays)
		rep.Incidents = append(rep.Incidents, *ir)
	}
	sort.Slice(rep.Incidents, func(i, j int) bool { return rep.Incidents[i].TruthType < rep.Incidents[j].TruthType })
	return rep
}

// Quantile returns the q-quantile (0 < q ≤ 1) of sorted delays by the
// nearest-rank method, and false when there are none.
func Quantile(sorted []time.Duration, q float64) (time.Duration, bool) {
	if len(sorted) == 0 {
		return 0, false
	}
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	k = min(max(k, 0), len(sorted)-1)
	return sorted[k], true
}

// fmtRatio formats a ratio with three decimals, "–" for NaN.
func fmtRatio(f float64) string {
	if math.IsNaN(f) {
		return "–"
	}
	return fmt.Sprintf("%.3f", f)
}

// fmtQuantile formats a delay quantile, "–" when there are no delays.
func fmtQuantile(d []time.Duration, q float64) string {
	v, ok := Quantile(d, q)
	if !ok {
		return "–"
	}
	return v.Round(time.Second).String()
}

// WriteMarkdown writes the report as markdown tables.
func (rep *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Score by event type\n\nSlack %s. Precision counts events, recall counts incidents; delay is event start minus truth start (event time).\n\n", rep.Slack)
	b.WriteString("| event type | truth types | TP | FP | FN | retracted | precision | recall | delay median | delay p90 |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rep.Rows {
		if !r.Scored {
			fmt.Fprintf(&b, "| %s | (none: not scored) | – | %d | – | %d | – | – | – | – |\n", r.EventType, r.FP, r.Retracted)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %s | %s | %s | %s |\n", r.EventType, strings.Join(r.TruthTypes, ", "),
			r.TP, r.FP, r.FN(), r.Retracted, fmtRatio(r.Precision()), fmtRatio(r.Recall()),
			fmtQuantile(r.Delays, 0.5), fmtQuantile(r.Delays, 0.9))
	}
	b.WriteString("\n## Incidents by truth type\n\n")
	b.WriteString("| truth type | event types | incidents | found | missed | recall | delay median | delay p90 |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|\n")
	for _, ir := range rep.Incidents {
		if len(ir.EventTypes) == 0 {
			fmt.Fprintf(&b, "| %s | no detector | %d | – | – | – | – | – |\n", ir.TruthType, ir.Incidents)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %s | %s | %s |\n", ir.TruthType, strings.Join(ir.EventTypes, ", "),
			ir.Incidents, ir.Found, ir.Incidents-ir.Found, fmtRatio(ratio(ir.Found, ir.Incidents)),
			fmtQuantile(ir.Delays, 0.5), fmtQuantile(ir.Delays, 0.9))
	}
	if len(rep.Missed) > 0 {
		b.WriteString("\n## Missed incidents\n\n| id | type | vessels | start | end | why |\n|--:|---|---|---|---|---|\n")
		for _, t := range rep.Missed {
			vs := make([]string, len(t.Vessels))
			for i, v := range t.Vessels {
				vs[i] = fmt.Sprint(v)
			}
			why := "not detected"
			if len(Mapping[t.Type]) == 0 {
				why = "no detector"
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s |\n", t.ID, t.Type, strings.Join(vs, ", "),
				t.Start.UTC().Format(time.RFC3339), t.End.UTC().Format(time.RFC3339), why)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
}
