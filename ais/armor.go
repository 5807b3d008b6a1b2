package ais

import (
	"math/rand/v2"
	"strings"
)

// sixbitChars maps six-bit text values to ASCII (ITU-R M.1371 table 47).
const sixbitChars = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"

// armorValue maps a payload character to its six-bit value, or 0xFF.
var armorValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for c := byte('0'); c <= 'W'; c++ {
		t[c] = c - '0'
	}
	for c := byte('`'); c <= 'w'; c++ {
		t[c] = c - '0' - 8
	}
	return t
}()

// armorChar maps a six-bit value to its payload character.
const armorChar = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"

// textValue maps ASCII to its six-bit text value, or 0xFF.
var textValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := range len(sixbitChars) {
		t[sixbitChars[i]] = byte(i)
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = t[c-'a'+'A']
	}
	return t
}()

// Unarmor appends the bits of an armoured payload to b, less fill trailing
// bits. It fails with ErrPayloadChar on a character outside the armour set,
// ErrTooLong past MaxBits and ErrFillBits when fill is not 0 to 5 or
// exceeds the payload; b is then left as it was.
func (b *Bits) Unarmor(payload []byte, fill int) error {
	if fill < 0 || fill > 5 || (fill > 0 && len(payload) == 0) {
		return ErrFillBits
	}
	if b.n+6*len(payload)-fill > MaxBits {
		return ErrTooLong
	}
	// Ten characters fill 60 bits of an accumulator, written at once.
	var bad byte
	p := payload
	for len(p) >= 10 {
		var acc uint64
		for _, ch := range p[:10] {
			v := armorValue[ch]
			bad |= v
			acc = acc<<6 | uint64(v&63)
		}
		b.put(acc, 60)
		p = p[10:]
	}
	var acc uint64
	for _, ch := range p {
		v := armorValue[ch]
		bad |= v
		acc = acc<<6 | uint64(v&63)
	}
	b.put(acc, 6*len(p))
	if bad&0xC0 != 0 {
		b.truncate(b.n - 6*len(payload))
		return ErrPayloadChar
	}
	b.truncate(b.n - fill)
	return nil
}

// Armor appends the ASCII armour of b's bits to dst and returns it with the
// number of fill bits added to complete the last character.
func (b *Bits) Armor(dst []byte) ([]byte, int) {
	for pos := 0; pos < b.n; pos += 6 {
		dst = append(dst, armorChar[b.Uint(pos, 6)])
	}
	return dst, (6 - b.n%6) % 6
}

// decodeText reads n six-bit characters at pos. The result stops at the
// first '@' (the standard's terminator) and drops trailing spaces, as gpsd
// and pyais do; that is the canonical form encoding reproduces.
func decodeText(b *Bits, pos, n int, cache map[string]string) string {
	var buf [64]byte
	s := buf[:0]
	if n > 64 {
		s = make([]byte, 0, n)
	}
	for i := range n {
		v := b.Uint(pos+6*i, 6)
		if v == 0 {
			break
		}
		s = append(s, sixbitChars[v])
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	if len(s) == 0 {
		return ""
	}
	if cache == nil {
		return string(s)
	}
	// Names repeat for every report of a vessel: interning them keeps
	// decoding free of garbage.
	if v, ok := cache[string(s)]; ok {
		return v
	}
	if len(cache) >= maxInterned {
		clear(cache)
	}
	v := string(s)
	cache[v] = v
	return v
}

// maxInterned bounds a Decoder's string cache.
const maxInterned = 1 << 14

// decodeRawText reads n six-bit characters at pos up to the first '@',
// keeping trailing spaces.
func decodeRawText(b *Bits, pos, n int) string {
	s := make([]byte, 0, n)
	for i := range n {
		v := b.Uint(pos+6*i, 6)
		if v == 0 {
			break
		}
		s = append(s, sixbitChars[v])
	}
	return string(s)
}

// encodeText writes s in n six-bit characters, padded with '@'.
func (c *coder) encodeText(s string, n int) {
	if len(s) > n {
		c.bad = true
		s = s[:n]
	}
	for i := range n {
		var v byte
		if i < len(s) {
			v = textValue[s[i]]
			if v == 0xFF {
				c.bad = true
				v = textValue['?']
			}
		}
		if !c.b.Append(uint64(v), 6) {
			c.over = true
			return
		}
	}
}

// randomText returns a canonical text of up to n characters.
func randomText(r *rand.Rand, n int) string {
	l := r.IntN(n + 1)
	var sb strings.Builder
	for i := range l {
		v := 1 + r.IntN(63)
		if i == l-1 && sixbitChars[v] == ' ' {
			v = 1
		}
		sb.WriteByte(sixbitChars[v])
	}
	return sb.String()
}
