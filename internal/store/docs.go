package store

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

// docStore keeps documents in docs.log, one frame per PutDoc; the latest
// frame of a kind and ID wins. In memory it keeps each document's offset
// and time. Replaced documents stay in the log (it is not compacted: fine
// for the event and case volumes expected, a task for their own tables).
type docStore struct {
	log   *recordLog
	mu    sync.RWMutex // guards kinds
	kinds map[string]map[string]docRef
}

type docRef struct {
	off  int64
	time int64
}

func openDocs(path string) (*docStore, error) {
	ds := &docStore{kinds: make(map[string]map[string]docRef)}
	log, err := openRecordLog(path, func(off int64, p []byte) error {
		d, err := decodeDoc(p)
		if err != nil {
			return &CorruptError{File: "docs.log", Offset: off, Reason: "malformed record"}
		}
		ds.index(d, off)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ds.log = log
	return ds, nil
}

// index records where d is. Under mu, or before sharing.
func (ds *docStore) index(d Doc, off int64) {
	ids := ds.kinds[d.Kind]
	if ids == nil {
		ids = make(map[string]docRef)
		ds.kinds[d.Kind] = ids
	}
	ids[d.ID] = docRef{off: off, time: d.Time}
}

// encodeDoc appends a docs.log record: version 1, kind, ID, time, body.
func encodeDoc(b []byte, d *Doc) []byte {
	b = append(b, 1)
	b = appendString(b, d.Kind)
	b = appendString(b, d.ID)
	b = binary.LittleEndian.AppendUint64(b, uint64(d.Time))
	return append(b, d.Body...)
}

func decodeDoc(p []byte) (Doc, error) {
	d := blockDecoder{b: p}
	str := func() string {
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			d.err = errShort
			return ""
		}
		return string(d.bytes(int(n)))
	}
	var doc Doc
	if v := d.bytes(1)[0]; v != 1 {
		return doc, errShort
	}
	doc.Kind = str()
	doc.ID = str()
	doc.Time = int64(binary.LittleEndian.Uint64(d.bytes(8)))
	if d.err != nil {
		return doc, d.err
	}
	doc.Body = json.RawMessage(slices.Clone(d.b))
	return doc, nil
}

func checkKey(what, s string) error {
	if len(s) == 0 || len(s) > 255 {
		return fmt.Errorf("document %s %q: want 1 to 255 bytes", what, s)
	}
	return nil
}

// PutDoc stores d, replacing the document of the same kind and ID. Body
// must be valid JSON. The durability policy is that of AppendFixes.
func (db *DB) PutDoc(d Doc) error {
	db.mu.RLock()
	err := db.writable()
	db.mu.RUnlock()
	if err != nil {
		return err
	}
	if err := checkKey("kind", d.Kind); err != nil {
		return err
	}
	if err := checkKey("id", d.ID); err != nil {
		return err
	}
	if !json.Valid(d.Body) {
		return fmt.Errorf("document %s/%s: body is not valid JSON", d.Kind, d.ID)
	}
	ds := db.docs
	ds.mu.Lock()
	defer ds.mu.Unlock()
	off, err := ds.log.append(encodeDoc(nil, &d))
	if err != nil {
		return fmt.Errorf("document %s/%s: %w", d.Kind, d.ID, err)
	}
	ds.index(d, off)
	db.pending.Add(1)
	return nil
}

// Doc returns the document of that kind and ID, or an error wrapping
// ErrNotFound.
func (db *DB) Doc(ctx context.Context, kind, id string) (Doc, error) {
	db.mu.RLock()
	closed := db.closed
	db.mu.RUnlock()
	if closed {
		return Doc{}, ErrClosed
	}
	ds := db.docs
	ds.mu.RLock()
	ref, ok := ds.kinds[kind][id]
	ds.mu.RUnlock()
	if !ok {
		return Doc{}, fmt.Errorf("document %s/%s: %w", kind, id, ErrNotFound)
	}
	return ds.read(ref.off)
}

func (ds *docStore) read(off int64) (Doc, error) {
	p, err := ds.log.read(off)
	if err != nil {
		return Doc{}, err
	}
	d, err := decodeDoc(p)
	if err != nil {
		return Doc{}, &CorruptError{File: "docs.log", Offset: off, Reason: "malformed record"}
	}
	return d, nil
}

// Docs returns the documents of a kind with from <= Time < to, ordered by
// time then ID, at most limit (0 = no limit): the earliest ones.
func (db *DB) Docs(ctx context.Context, kind string, from, to int64, limit int) ([]Doc, error) {
	if err := checkRange(from, to, limit); err != nil {
		return nil, fmt.Errorf("documents %s: %w", kind, err)
	}
	db.mu.RLock()
	closed := db.closed
	db.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	type hit struct {
		id  string
		ref docRef
	}
	ds := db.docs
	var hits []hit
	ds.mu.RLock()
	for id, ref := range ds.kinds[kind] {
		if ref.time >= from && ref.time < to {
			hits = append(hits, hit{id, ref})
		}
	}
	ds.mu.RUnlock()
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.ref.time, b.ref.time); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Doc, 0, len(hits))
	for _, h := range hits {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := ds.read(h.ref.off)
		if err != nil {
			return nil, fmt.Errorf("documents %s: %w", kind, err)
		}
		out = append(out, d)
	}
	return out, nil
}
