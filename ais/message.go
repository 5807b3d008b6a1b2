package ais

import "math/rand/v2"

// Header is the part every message starts with.
type Header struct {
	Type   uint8  // message type, 1 to 27
	Repeat uint8  // repeat indicator, 0 to 3
	MMSI   uint32 // source MMSI (30 bits)
	// Len is the payload length in bits as received when it differs from
	// what the fields account for (short or over-long transmissions);
	// encoding then truncates or zero-pads to it. It is 0 otherwise.
	Len int
}

// Head returns the header. It makes every message type a Message.
func (h *Header) Head() *Header { return h }

func (h *Header) walk(c *coder) {
	c.u8(&h.Type, 6)
	c.u8(&h.Repeat, 2)
	c.u32(&h.MMSI, 30)
}

// Message is a decoded AIS message: one of the pointer types
// *PositionReport, *BaseStationReport, *StaticVoyageData,
// *BinaryAddressed, *BinaryAck, *BinaryBroadcast, *SARAircraftReport,
// *UTCInquiry, *SafetyAddressed, *SafetyBroadcast, *Interrogation,
// *AssignedModeCommand, *DGNSSBroadcast, *ClassBPositionReport,
// *ClassBExtendedReport, *DataLinkManagement, *AidToNavigationReport,
// *ChannelManagement, *GroupAssignment, *StaticDataReport,
// *SingleSlotBinary, *MultiSlotBinary or *LongRangeReport.
type Message interface {
	Head() *Header
	walk(c *coder) // walks every field after the header, in bit order
}

// Positioner is implemented by messages that carry a position.
type Positioner interface {
	Message
	// Position returns latitude and longitude in degrees (north and east
	// positive); ok is false when the position is not available or out of
	// range.
	Position() (lat, lon float64, ok bool)
}

// lengths holds, per type, the shortest and longest payload in bits that
// decodes. They follow gpsd's checks, which reflect what transmitters send
// in the wild (type 5 at 420 bits, type 1 at 163).
var lengths = [28][2]int{
	1: {163, MaxBits}, 2: {163, MaxBits}, 3: {163, MaxBits},
	4: {168, MaxBits}, 5: {420, MaxBits}, 6: {88, 1008},
	7: {72, 168}, 8: {56, 1008}, 9: {168, MaxBits},
	10: {72, MaxBits}, 11: {168, MaxBits}, 12: {72, 1008},
	13: {72, 168}, 14: {40, 1008}, 15: {88, 168},
	16: {96, 168}, 17: {80, 816}, 18: {168, MaxBits},
	19: {312, MaxBits}, 20: {72, 186}, 21: {272, 368},
	22: {168, MaxBits}, 23: {160, MaxBits}, 24: {160, MaxBits},
	25: {40, 168}, 26: {60, 1004}, 27: {96, 168},
}

// Decoder decodes payloads into messages it owns: it holds one value of
// each type and reuses it, so decoding allocates nothing beyond strings and
// binary payloads. A message returned by Decode is valid until the next
// call. A Decoder is not safe for concurrent use; the zero value is ready.
type Decoder struct {
	pos   PositionReport
	base  BaseStationReport
	stat  StaticVoyageData
	b6    BinaryAddressed
	ack   BinaryAck
	b8    BinaryBroadcast
	sar   SARAircraftReport
	inq   UTCInquiry
	s12   SafetyAddressed
	s14   SafetyBroadcast
	i15   Interrogation
	a16   AssignedModeCommand
	d17   DGNSSBroadcast
	b18   ClassBPositionReport
	b19   ClassBExtendedReport
	d20   DataLinkManagement
	aton  AidToNavigationReport
	c22   ChannelManagement
	g23   GroupAssignment
	s24   StaticDataReport
	b25   SingleSlotBinary
	b26   MultiSlotBinary
	lr27  LongRangeReport
	bits  Bits
	coder coder
	strs  map[string]string
}

// Decode decodes a payload's bits into a message. The message is owned by
// d and valid until the next call; use the package-level Decode for one
// that the caller owns.
func (d *Decoder) Decode(b *Bits) (Message, error) {
	if b.n < 6 {
		return nil, ErrEmptyPayload
	}
	t := b.Uint(0, 6)
	var m Message
	switch t {
	case 1, 2, 3:
		d.pos = PositionReport{}
		m = &d.pos
	case 4, 11:
		d.base = BaseStationReport{}
		m = &d.base
	case 5:
		d.stat = StaticVoyageData{}
		m = &d.stat
	case 6:
		d.b6 = BinaryAddressed{}
		m = &d.b6
	case 7, 13:
		d.ack = BinaryAck{}
		m = &d.ack
	case 8:
		d.b8 = BinaryBroadcast{}
		m = &d.b8
	case 9:
		d.sar = SARAircraftReport{}
		m = &d.sar
	case 10:
		d.inq = UTCInquiry{}
		m = &d.inq
	case 12:
		d.s12 = SafetyAddressed{}
		m = &d.s12
	case 14:
		d.s14 = SafetyBroadcast{}
		m = &d.s14
	case 15:
		d.i15 = Interrogation{}
		m = &d.i15
	case 16:
		d.a16 = AssignedModeCommand{}
		m = &d.a16
	case 17:
		d.d17 = DGNSSBroadcast{}
		m = &d.d17
	case 18:
		d.b18 = ClassBPositionReport{}
		m = &d.b18
	case 19:
		d.b19 = ClassBExtendedReport{}
		m = &d.b19
	case 20:
		d.d20 = DataLinkManagement{}
		m = &d.d20
	case 21:
		d.aton = AidToNavigationReport{}
		m = &d.aton
	case 22:
		d.c22 = ChannelManagement{}
		m = &d.c22
	case 23:
		d.g23 = GroupAssignment{}
		m = &d.g23
	case 24:
		d.s24 = StaticDataReport{}
		m = &d.s24
	case 25:
		d.b25 = SingleSlotBinary{}
		m = &d.b25
	case 26:
		d.b26 = MultiSlotBinary{}
		m = &d.b26
	case 27:
		d.lr27 = LongRangeReport{}
		m = &d.lr27
	default:
		return nil, ErrUnknownType
	}
	if lim := lengths[t]; b.n < lim[0] || b.n > lim[1] {
		return nil, ErrLength
	}
	if d.strs == nil {
		d.strs = make(map[string]string)
	}
	d.coder = coder{b: b, strs: d.strs}
	c := &d.coder
	h := m.Head()
	h.walk(c)
	m.walk(c)
	if c.bad {
		return nil, ErrSubtype
	}
	if c.badLen {
		return nil, ErrLength
	}
	if c.pos != b.n {
		h.Len = b.n
	}
	return m, nil
}

// DecodePayload de-armours one complete payload and decodes it, like
// Decoder.Decode.
func (d *Decoder) DecodePayload(payload []byte, fill int) (Message, error) {
	d.bits.Reset()
	if err := d.bits.Unarmor(payload, fill); err != nil {
		return nil, err
	}
	return d.Decode(&d.bits)
}

// Decode decodes a payload's bits into a new message the caller owns.
func Decode(b *Bits) (Message, error) {
	var d Decoder
	m, err := d.Decode(b)
	if err != nil {
		return nil, err
	}
	return clone(m), nil
}

// clone returns a copy of m in its own memory.
func clone(m Message) Message {
	switch v := m.(type) {
	case *PositionReport:
		c := *v
		return &c
	case *BaseStationReport:
		c := *v
		return &c
	case *StaticVoyageData:
		c := *v
		return &c
	case *BinaryAddressed:
		c := *v
		return &c
	case *BinaryAck:
		c := *v
		return &c
	case *BinaryBroadcast:
		c := *v
		return &c
	case *SARAircraftReport:
		c := *v
		return &c
	case *UTCInquiry:
		c := *v
		return &c
	case *SafetyAddressed:
		c := *v
		return &c
	case *SafetyBroadcast:
		c := *v
		return &c
	case *Interrogation:
		c := *v
		return &c
	case *AssignedModeCommand:
		c := *v
		return &c
	case *DGNSSBroadcast:
		c := *v
		return &c
	case *ClassBPositionReport:
		c := *v
		return &c
	case *ClassBExtendedReport:
		c := *v
		return &c
	case *DataLinkManagement:
		c := *v
		return &c
	case *AidToNavigationReport:
		c := *v
		return &c
	case *ChannelManagement:
		c := *v
		return &c
	case *GroupAssignment:
		c := *v
		return &c
	case *StaticDataReport:
		c := *v
		return &c
	case *SingleSlotBinary:
		c := *v
		return &c
	case *MultiSlotBinary:
		c := *v
		return &c
	case *LongRangeReport:
		c := *v
		return &c
	}
	return m
}

// Clone returns a copy of m that does not share the Decoder's memory.
// Binary payload slices are shared: they are never reused by a Decoder.
func Clone(m Message) Message { return clone(m) }

// Encode writes m's bits into b, replacing its contents. The header's Type
// selects the layout where one struct serves several types (1-3, 4/11,
// 7/13). It fails with ErrEncode when a text field holds a character
// outside the six-bit set or is too long for its field, and ErrTooLong past
// MaxBits.
func Encode(m Message, b *Bits) error {
	b.Reset()
	c := coder{b: b, mode: encoding}
	h := m.Head()
	h.walk(&c)
	m.walk(&c)
	if c.over {
		return ErrTooLong
	}
	if c.bad {
		return ErrEncode
	}
	switch {
	case h.Len == 0:
	case h.Len > MaxBits:
		return ErrTooLong
	case h.Len < b.n:
		b.truncate(h.Len)
	default:
		for b.n < h.Len {
			b.put(0, min(57, h.Len-b.n))
		}
	}
	return nil
}

// Random returns a valid message of type t, 1 to 27, with every field
// drawn from r: the generator behind the round-trip property tests, and a
// source of varied traffic for simulators.
func Random(r *rand.Rand, t int) Message {
	m := newMessage(t)
	if m == nil {
		return nil
	}
	c := coder{mode: random, rnd: r}
	h := m.Head()
	h.walk(&c)
	h.Type = uint8(t)
	m.walk(&c)
	return m
}

func newMessage(t int) Message {
	switch t {
	case 1, 2, 3:
		return &PositionReport{}
	case 4, 11:
		return &BaseStationReport{}
	case 5:
		return &StaticVoyageData{}
	case 6:
		return &BinaryAddressed{}
	case 7, 13:
		return &BinaryAck{}
	case 8:
		return &BinaryBroadcast{}
	case 9:
		return &SARAircraftReport{}
	case 10:
		return &UTCInquiry{}
	case 12:
		return &SafetyAddressed{}
	case 14:
		return &SafetyBroadcast{}
	case 15:
		return &Interrogation{}
	case 16:
		return &AssignedModeCommand{}
	case 17:
		return &DGNSSBroadcast{}
	case 18:
		return &ClassBPositionReport{}
	case 19:
		return &ClassBExtendedReport{}
	case 20:
		return &DataLinkManagement{}
	case 21:
		return &AidToNavigationReport{}
	case 22:
		return &ChannelManagement{}
	case 23:
		return &GroupAssignment{}
	case 24:
		return &StaticDataReport{}
	case 25:
		return &SingleSlotBinary{}
	case 26:
		return &MultiSlotBinary{}
	case 27:
		return &LongRangeReport{}
	}
	return nil
}
