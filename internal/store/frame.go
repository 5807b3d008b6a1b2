package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Logs (the write-ahead log of fixes, static.log, docs.log) are sequences
// of frames: uint32 length of the payload, uint32 CRC-32C of the payload
// (both little-endian), then the payload. A frame whose length is zero or
// implausible, that ends past the end of the file, or whose CRC does not
// match ends the log: a crash in mid-write leaves exactly such a tail.
const (
	frameHeader = 8
	maxFrame    = 64 << 20
)

// sealFrame fills in the header b[:frameHeader] for the payload
// b[frameHeader:].
func sealFrame(b []byte) {
	p := b[frameHeader:]
	binary.LittleEndian.PutUint32(b[0:], uint32(len(p)))
	binary.LittleEndian.PutUint32(b[4:], crc32.Checksum(p, castagnoli))
}

// scanFrames calls fn for each valid frame of r, which starts at offset
// 0, and returns the offset where the valid frames end. The payload
// passed to fn is reused after fn returns. An error from fn or from
// reading stops the scan and is returned.
func scanFrames(r io.Reader, fn func(off int64, payload []byte) error) (int64, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var hdr [frameHeader]byte
	var buf []byte
	var off int64
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return off, nil
			}
			return off, err
		}
		n := binary.LittleEndian.Uint32(hdr[0:])
		if n == 0 || n > maxFrame {
			return off, nil
		}
		if cap(buf) < int(n) {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		if _, err := io.ReadFull(br, buf); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return off, nil
			}
			return off, err
		}
		if crc32.Checksum(buf, castagnoli) != binary.LittleEndian.Uint32(hdr[4:]) {
			return off, nil
		}
		if err := fn(off, buf); err != nil {
			return off, err
		}
		off += frameHeader + int64(n)
	}
}

// recoverLog opens (creating if needed) the log at path, passes each valid
// frame to fn and cuts off a torn tail. The returned file is positioned at
// the end of the valid frames, and size is that offset.
func recoverLog(path string, fn func(off int64, payload []byte) error) (f *os.File, size int64, err error) {
	name := filepath.Base(path)
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	size, err = scanFrames(f, fn)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	if st.Size() != size {
		if err := f.Truncate(size); err != nil {
			return nil, 0, fmt.Errorf("%s: cut torn tail: %w", name, err)
		}
	}
	if _, err := f.Seek(size, io.SeekStart); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	return f, size, nil
}

// recordLog is an append-only log of frames with random reads by offset:
// static.log and docs.log.
type recordLog struct {
	name string

	mu    sync.Mutex // guards the fields below and the file's position
	f     *os.File
	size  int64
	dirty bool
	buf   []byte
	err   error // sticky: a failed write that could not be undone
}

func openRecordLog(path string, fn func(off int64, payload []byte) error) (*recordLog, error) {
	f, size, err := recoverLog(path, fn)
	if err != nil {
		return nil, err
	}
	return &recordLog{name: filepath.Base(path), f: f, size: size}, nil
}

// append writes payload as one frame and returns the frame's offset.
func (l *recordLog) append(payload []byte) (int64, error) {
	if len(payload) == 0 || len(payload) > maxFrame {
		return 0, fmt.Errorf("%s: record of %d bytes", l.name, len(payload))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return 0, l.err
	}
	l.buf = append(append(l.buf[:0], make([]byte, frameHeader)...), payload...)
	sealFrame(l.buf)
	off := l.size
	if _, err := l.f.Write(l.buf); err != nil {
		// Undo a partial write so that later frames stay reachable.
		if terr := l.f.Truncate(off); terr != nil {
			l.err = fmt.Errorf("%s: write: %w (and truncate: %v)", l.name, err, terr)
			return 0, l.err
		}
		if _, serr := l.f.Seek(off, io.SeekStart); serr != nil {
			l.err = fmt.Errorf("%s: write: %w (and seek: %v)", l.name, err, serr)
			return 0, l.err
		}
		return 0, fmt.Errorf("%s: write: %w", l.name, err)
	}
	l.size += int64(len(l.buf))
	l.dirty = true
	return off, nil
}

// read returns the payload of the frame at off.
func (l *recordLog) read(off int64) ([]byte, error) {
	var hdr [frameHeader]byte
	if _, err := l.f.ReadAt(hdr[:], off); err != nil {
		return nil, fmt.Errorf("%s at %d: %w", l.name, off, err)
	}
	n := binary.LittleEndian.Uint32(hdr[0:])
	if n == 0 || n > maxFrame {
		return nil, &CorruptError{File: l.name, Offset: off, Reason: "bad frame length"}
	}
	p := make([]byte, n)
	if _, err := l.f.ReadAt(p, off+frameHeader); err != nil {
		return nil, fmt.Errorf("%s at %d: %w", l.name, off, err)
	}
	if crc32.Checksum(p, castagnoli) != binary.LittleEndian.Uint32(hdr[4:]) {
		return nil, &CorruptError{File: l.name, Offset: off, Reason: "checksum mismatch"}
	}
	return p, nil
}

// sync fsyncs the log if anything was appended since the last sync.
func (l *recordLog) sync() error {
	l.mu.Lock()
	dirty := l.dirty
	l.dirty = false
	l.mu.Unlock()
	if !dirty {
		return nil
	}
	if err := l.f.Sync(); err != nil {
		l.mu.Lock()
		l.dirty = true
		l.mu.Unlock()
		return fmt.Errorf("%s: sync: %w", l.name, err)
	}
	return nil
}

func (l *recordLog) close() error {
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("%s: %w", l.name, err)
	}
	return nil
}

var errShort = errors.New("short record")
