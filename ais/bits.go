package ais

import "math/rand/v2"

// MaxBits is the longest message payload, in bits, that the package
// handles. ITU-R M.1371 messages are at most 1008 bits (five slots); the
// margin admits the over-long messages some transmitters send.
const MaxBits = 2048

const words = MaxBits/64 + 1 // one spare word so reads never index out of range

// Bits is a message payload: a string of bits, most significant first. Bits
// past Len read as zero. The zero value is an empty payload.
type Bits struct {
	w [words]uint64
	n int
}

// Len returns the number of bits in b.
func (b *Bits) Len() int { return b.n }

// Reset empties b.
func (b *Bits) Reset() {
	for i := range (b.n + 63) / 64 {
		b.w[i] = 0
	}
	b.n = 0
}

// Uint returns the n-bit unsigned field at bit offset pos (n <= 57).
// Bits past Len read as zero.
func (b *Bits) Uint(pos, n int) uint64 {
	if n == 0 || pos >= MaxBits {
		return 0
	}
	i, off := pos>>6, uint(pos&63)
	v := b.w[i] << off
	if off != 0 {
		v |= b.w[i+1] >> (64 - off)
	}
	return v >> (64 - uint(n))
}

// Int returns the n-bit two's-complement field at bit offset pos.
func (b *Bits) Int(pos, n int) int64 {
	if n == 0 {
		return 0
	}
	return int64(b.Uint(pos, n)<<(64-uint(n))) >> (64 - uint(n))
}

// put writes the low n bits of v (n <= 64) at the end of b. Callers check
// room.
func (b *Bits) put(v uint64, n int) {
	if n == 0 {
		return
	}
	v <<= 64 - uint(n) // left-align
	i, off := b.n>>6, uint(b.n&63)
	b.w[i] |= v >> off
	if off != 0 && int(off)+n > 64 {
		b.w[i+1] |= v << (64 - off)
	}
	b.n += n
}

// Append adds the low n bits of v (n <= 57) at the end of b. It reports
// false, and adds nothing, when b would exceed MaxBits.
func (b *Bits) Append(v uint64, n int) bool {
	if b.n+n > MaxBits {
		return false
	}
	b.put(v, n)
	return true
}

// truncate shortens b to n bits, clearing what follows.
func (b *Bits) truncate(n int) {
	if n >= b.n {
		return
	}
	i := n >> 6
	if off := uint(n & 63); off != 0 {
		b.w[i] &^= ^uint64(0) >> off
		i++
	} else {
		b.w[i] = 0
		i++
	}
	for ; i < (b.n+63)/64; i++ {
		b.w[i] = 0
	}
	b.n = n
}

// Equal reports whether a and b hold the same bits.
func (b *Bits) Equal(o *Bits) bool {
	if b.n != o.n {
		return false
	}
	for i := range (b.n + 63) / 64 {
		if b.w[i] != o.w[i] {
			return false
		}
	}
	return true
}

// Bytes appends n bits from pos to dst, packed most significant first, the
// last byte padded with zeros.
func (b *Bits) Bytes(dst []byte, pos, n int) []byte {
	for ; n >= 8; n -= 8 {
		dst = append(dst, byte(b.Uint(pos, 8)))
		pos += 8
	}
	if n > 0 {
		dst = append(dst, byte(b.Uint(pos, n)<<(8-uint(n))))
	}
	return dst
}

// mode says what a coder does with each field.
type mode uint8

const (
	decoding mode = iota // read fields from bits
	encoding             // write fields to bits
	random               // fill fields with random values (tests)
)

// coder walks the fields of a message in transmission order. One walk,
// written once per message type, serves decoding, encoding and random
// generation, so the three cannot disagree on the layout.
type coder struct {
	b    *Bits
	pos  int
	mode mode
	rnd  *rand.Rand
	strs map[string]string // interned text, nil for none
	over bool              // encoding ran past MaxBits
	bad  bool              // encoding met text outside the six-bit character set; decoding, an undefined variant
	// badLen is set by a walk whose variant does not fit the payload
	// length (type 24 part A over 168 bits, part B under).
	badLen bool
	// reject is set by an application walk when the payload cannot be
	// that application; the bits are then kept raw.
	reject bool
}

// left returns the bits not yet read (decoding) or an unbounded figure.
func (c *coder) left() int { return c.b.n - c.pos }

func (c *coder) uint(v *uint64, n int) {
	switch c.mode {
	case decoding:
		*v = c.b.Uint(c.pos, n)
		c.pos += n
	case encoding:
		if !c.b.Append(*v, n) {
			c.over = true
		}
	case random:
		*v = c.rnd.Uint64() & (1<<uint(n) - 1)
	}
}

func (c *coder) u8(v *uint8, n int) {
	x := uint64(*v)
	c.uint(&x, n)
	*v = uint8(x)
}

func (c *coder) u16(v *uint16, n int) {
	x := uint64(*v)
	c.uint(&x, n)
	*v = uint16(x)
}

func (c *coder) u32(v *uint32, n int) {
	x := uint64(*v)
	c.uint(&x, n)
	*v = uint32(x)
}

func (c *coder) u64(v *uint64, n int) { c.uint(v, n) }

func (c *coder) i32(v *int32, n int) {
	x := uint64(int64(*v))
	c.uint(&x, n)
	*v = int32(int64(x<<(64-uint(n))) >> (64 - uint(n)))
}

func (c *coder) i16(v *int16, n int) {
	x := int32(*v)
	c.i32(&x, n)
	*v = int16(x)
}

func (c *coder) i8(v *int8, n int) {
	x := int32(*v)
	c.i32(&x, n)
	*v = int8(x)
}

func (c *coder) flag(v *bool) {
	var x uint64
	if *v {
		x = 1
	}
	c.uint(&x, 1)
	*v = x == 1
}

// text walks a fixed field of n six-bit characters. See decodeText for the
// canonical form strings take.
func (c *coder) text(v *string, n int) {
	switch c.mode {
	case decoding:
		*v = decodeText(c.b, c.pos, n, c.strs)
		c.pos += 6 * n
	case encoding:
		c.encodeText(*v, n)
	case random:
		*v = randomText(c.rnd, n)
	}
}

// textEnd walks a text field that runs to the end of the message, in whole
// characters. max bounds random generation.
func (c *coder) textEnd(v *string, max int) {
	switch c.mode {
	case decoding:
		n := c.left() / 6
		if n < 0 {
			n = 0
		}
		*v = decodeText(c.b, c.pos, n, c.strs)
		c.pos += 6 * n
	case encoding:
		c.encodeText(*v, len(*v))
	case random:
		*v = randomText(c.rnd, c.rnd.IntN(max+1))
	}
}

// data walks raw bits that run to the end of the message less reserve bits:
// nbits bits packed in d, most significant first. max bounds random
// generation.
func (c *coder) data(d *[]byte, nbits *int, max, reserve int) {
	switch c.mode {
	case decoding:
		n := c.left() - reserve
		if n < 0 {
			n = 0
		}
		*nbits = n
		*d = nil
		if n > 0 {
			*d = c.b.Bytes(make([]byte, 0, (n+7)/8), c.pos, n)
		}
		c.pos += n
	case encoding:
		n := *nbits
		for i := 0; n > 0; i++ {
			k := min(8, n)
			var x byte
			if i < len(*d) {
				x = (*d)[i]
			}
			if !c.b.Append(uint64(x>>(8-uint(k))), k) {
				c.over = true
				return
			}
			n -= k
		}
	case random:
		n := c.rnd.IntN(max + 1)
		*nbits = n
		buf := make([]byte, (n+7)/8)
		for i := range buf {
			buf[i] = byte(c.rnd.Uint32())
		}
		if r := n % 8; r != 0 {
			buf[len(buf)-1] &= 0xFF << (8 - uint(r))
		}
		if n == 0 {
			buf = nil
		}
		*d = buf
	}
}
