package ais

// Pairer joins the two parts of Class B static data reports (type 24) the
// way gpsd does: each channel keeps the last eight part As; a part B whose
// MMSI matches one of them completes a report and clears the entry. gpsd's
// `gpsdecode` prints only completed reports, so straitwatch's decode does
// too. The zero value is ready to use.
type Pairer struct {
	rings [2]struct {
		mmsi [8]uint32
		name [8]string
		next int
	}
	out StaticDataReport
}

// Pair adds one part heard on channel ('A', 'B', '1', '2' or 0). For a
// part B that completes a report it returns the part B fields with
// ShipName from the part A, valid until the next call; otherwise nil.
func (p *Pairer) Pair(m *StaticDataReport, channel byte) *StaticDataReport {
	r := &p.rings[0]
	if channel == 'B' || channel == '2' {
		r = &p.rings[1]
	}
	switch m.Part {
	case 0:
		r.mmsi[r.next], r.name[r.next] = m.MMSI, m.ShipName
		r.next = (r.next + 1) % len(r.mmsi)
	case 1:
		for i, v := range r.mmsi {
			if v == m.MMSI {
				p.out = *m
				p.out.ShipName = r.name[i]
				r.mmsi[i] = 0
				return &p.out
			}
		}
	}
	return nil
}
