package score

import (
	"fmt"
	"html"
	"io"
	"strings"
	"time"
)

// WriteSVG writes a strip plot of the detection delays: one row per
// scored event type, one dot per found incident, a bar at the median,
// on a shared axis in minutes. It is plain SVG with no dependencies.
func (rep *Report) WriteSVG(w io.Writer) error {
	var rows []Row
	lo, hi := 0.0, 1.0
	for _, r := range rep.Rows {
		if !r.Scored {
			continue
		}
		rows = append(rows, r)
		for _, d := range r.Delays {
			m := d.Minutes()
			lo, hi = min(lo, m), max(hi, m)
		}
	}
	const (
		left, right, top, rowH, width = 170.0, 20.0, 40.0, 30.0, 760.0
	)
	height := top + rowH*float64(max(len(rows), 1)) + 50
	span := hi - lo
	lo, hi = lo-0.05*span, hi+0.05*span
	x := func(m float64) float64 { return left + (m-lo)/(hi-lo)*(width-left-right) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="14">Detection delay (event start − truth start), minutes; slack %s</text>`+"\n", left, rep.Slack)
	axisY := top + rowH*float64(max(len(rows), 1))
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", left, axisY, width-right, axisY)
	step := niceStep((hi - lo) / 8)
	for t := step * float64(int(lo/step)); t <= hi; t += step {
		if t < lo {
			continue
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", x(t), top, x(t), axisY)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%g</text>`+"\n", x(t), axisY+16, t)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-dasharray="3,3"/>`+"\n", x(0), top, x(0), axisY)
	for i, r := range rows {
		y := top + rowH*(float64(i)+0.5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s (n=%d)</text>`+"\n", left-8, y+4, html.EscapeString(r.EventType), len(r.Delays))
		for j, d := range r.Delays {
			jitter := float64(j%5-2) * 2.5
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="steelblue" fill-opacity="0.7"><title>%s</title></circle>`+"\n", x(d.Minutes()), y+jitter, d.Round(time.Second))
		}
		if med, ok := Quantile(r.Delays, 0.5); ok {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="crimson" stroke-width="2"><title>median %s</title></line>`+"\n", x(med.Minutes()), y-10, x(med.Minutes()), y+10, med.Round(time.Second))
		}
	}
	b.WriteString("</svg>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write svg: %w", err)
	}
	return nil
}

// niceStep rounds a raw axis step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := 1.0
	for p*10 <= raw {
		p *= 10
	}
	for p > raw {
		p /= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}
