package ais

// This file registers the binary applications of apps_imo.go and
// apps_inland.go and holds the walk helpers they share.
//
// The applications are the ones gpsd 3.22 decodes into fields, with its
// layouts and its length rules, so that the fields equal gpsd's. The
// deliberate departures are:
//
//   - Type 6 DAC 1 FI 15 (air draught): gpsd reads the field at bit 56,
//     inside the addressed header (destination MMSI); it is read after FI,
//     at bit 88, where the IMO Circ. 236 layout puts it.
//   - DAC 1 FI 16 (persons on board): gpsd reads type 6 at bit 55 (inside
//     the destination MMSI) unless the message is 224 bits, and type 8 at
//     bit 55 or 88; the count is read right after FI (bit 88 for type 6,
//     56 for type 8) as IMO Circ. 236 and 289 place it. The type 8 length
//     rule (128 or 192 bits) is gpsd's.
//
// Trailing arrays that run to the end of the message (tidal windows,
// synthetic targets, cargoes) are decoded as gpsd decodes them: an element
// is present when the message reaches its first bit (tidal windows and
// targets: or ends exactly where it would start), and bits past the end
// read as zero. The last element is therefore often cut short; such
// applications say by how many bits in a Truncated field, so that
// encoding reproduces the message, and have a Complete method that drops
// the cut element.

func init() {
	// Addressed (type 6).
	register(false, 1, 12, func() Application { return new(DangerousCargo236) }, nil)
	register(false, 1, 14, func() Application { return new(TidalWindow236) }, nil)
	register(false, 1, 15, func() Application { return new(ExtendedShipData) }, nil)
	register(false, 1, 16, func() Application { return new(PersonsOnBoard) }, nil)
	register(false, 1, 18, func() Application { return new(ClearanceTime) }, nil)
	register(false, 1, 20, func() Application { return new(BerthingData) }, nil)
	register(false, 1, 25, func() Application { return new(DangerousCargo) }, nil)
	register(false, 1, 28, func() Application { return new(RouteAddressed) }, nil)
	register(false, 1, 30, func() Application { return new(TextAddressed) }, nil)
	register(false, 1, 32, func() Application { return new(TidalWindow) }, nil)
	register(false, 200, 21, func() Application { return new(InlandETA) }, exactly(248))
	register(false, 200, 22, func() Application { return new(InlandRTA) }, exactly(232))
	register(false, 200, 55, func() Application { return new(InlandPersons) }, exactly(168))
	register(false, 235, 10, func() Application { return &AtoNMonitoring{DAC: 235} }, exactly(136))
	register(false, 250, 10, func() Application { return &AtoNMonitoring{DAC: 250} }, exactly(136))

	// Broadcast (type 8); FI 11 and 31 and DAC 200 FI 10 are in binary.go.
	register(true, 1, 13, func() Application { return new(FairwayClosed) }, nil)
	register(true, 1, 15, func() Application { return new(ExtendedShipData) }, nil)
	register(true, 1, 16, func() Application { return new(PersonsOnBoardBroadcast) }, func(n int) bool { return n == 128 || n == 192 })
	register(true, 1, 17, func() Application { return new(VTSTargets) }, nil)
	register(true, 1, 19, func() Application { return new(TrafficSignal) }, nil)
	register(true, 1, 27, func() Application { return new(RouteBroadcast) }, nil)
	register(true, 1, 29, func() Application { return new(TextBroadcast) }, nil)
	register(true, 200, 23, func() Application { return new(EMMAWarning) }, exactly(256))
	register(true, 200, 24, func() Application { return new(WaterLevels) }, exactly(168))
	register(true, 200, 40, func() Application { return new(SignalStatus) }, exactly(168))
}

// rawBits walks n bits kept in p, most significant first; p holds at
// least (n+7)/8 bytes and the bits of its last byte past n are zero.
func (c *coder) rawBits(p []byte, n int) {
	for i := 0; n > 0; i++ {
		k := min(8, n)
		x := uint64(p[i] >> (8 - uint(k)))
		c.uint(&x, k)
		p[i] = byte(x << (8 - uint(k)))
		n -= k
	}
}

// tailElem is a pointer to an array element with a walk.
type tailElem[T any] interface {
	*T
	walk(c *coder)
}

// walkTail walks an array of size-bit elements that starts at bit base of
// the message and runs to its end, the way gpsd 3.22 decodes such arrays:
// element i is present when base+i*size < message length, or <= when
// inclusive (gpsd's loops differ). The last element may then run past the
// end, its missing bits reading as zero; *cut is how many bits it lacks,
// and encoding drops them again. maxN bounds random generation, which
// keeps the message within 1008 bits.
func walkTail[T any, P tailElem[T]](c *coder, s *[]T, cut *int, base, size, maxN int, inclusive bool) {
	switch c.mode {
	case decoding:
		n := 0
		for base+n*size < c.b.n || inclusive && base+n*size == c.b.n {
			n++
		}
		*s, *cut = nil, 0
		if n == 0 {
			return
		}
		*s = make([]T, n)
		for i := range *s {
			P(&(*s)[i]).walk(c)
		}
		if c.pos > c.b.n {
			// The message ended inside the last element: keep the
			// shortfall here rather than in Header.Len.
			*cut = c.pos - c.b.n
			c.pos = c.b.n
		}
	case encoding:
		for i := range *s {
			P(&(*s)[i]).walk(c)
		}
		if len(*s) > 0 && *cut > 0 && !c.over {
			c.b.truncate(c.b.n - min(*cut, size))
		}
	case random:
		// gpsd's rule leaves 1 to size bits missing from the last element
		// (inclusive) or 0 to size-1 (exclusive).
		lo, n := 0, 0
		if inclusive {
			lo = 1
		}
		k := lo + c.rnd.IntN(size)
		if most := min(maxN, (1008+k-base)/size); most > 0 {
			n = lo + c.rnd.IntN(most+1-lo)
		}
		*s, *cut = nil, 0
		if n == 0 {
			return
		}
		*s = make([]T, n)
		for i := range *s {
			P(&(*s)[i]).walk(c)
		}
		*cut = k
		if k > 0 {
			// Zero the bits the message will not carry, as decoding reads
			// them.
			var b Bits
			e := P(&(*s)[n-1])
			w := coder{b: &b, mode: encoding}
			e.walk(&w)
			b.truncate(size - k)
			var zero T
			(*s)[n-1] = zero
			r := coder{b: &b, mode: decoding}
			e.walk(&r)
		}
	}
}

// completeElems returns s less its last element when cut says that it
// was cut short.
func completeElems[T any](s []T, cut int) []T {
	if cut > 0 && len(s) > 0 {
		return s[:len(s)-1]
	}
	return s
}
