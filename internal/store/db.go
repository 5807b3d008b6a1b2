package store

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"straitwatch/internal/track"
)

// DB is the embedded Store: a directory of files owned by one process.
// It is safe for concurrent use.
//
// Lock order: maintMu, then syncMu, then mu. The record logs' locks,
// the static and document indexes' locks and freeMu are taken alone or
// last.
type DB struct {
	dir  string
	opts Options
	lock *os.File

	// maintMu serialises changes to the segment list and the MANIFEST:
	// flushes, compactions and retention.
	maintMu sync.Mutex
	minWAL  uint64 // under maintMu

	// syncMu serialises syncs; log files are closed only under it.
	syncMu sync.Mutex

	mu       sync.RWMutex
	stall    *sync.Cond // on mu: the memtable list shrank, or the DB closed or failed
	mem      *memtable
	imm      []*memtable  // full memtables waiting to be written out, oldest first
	segs     []*segment   // ordered by partition start, then sequence
	nextSeq  uint64       // next file sequence number, for logs and segments
	dirDirty bool         // a log file was created since the directory was synced
	closed   bool         //
	bgErr    error        // first failure of background work; fails writes
	walBuf   []byte       //
	pending  atomic.Int64 // acknowledged writes so far (fixes, static, docs)
	synced   atomic.Int64 // pending value covered by the last successful sync

	freeMu sync.Mutex // guards free
	free   *memtable  // written out and unreferenced, for reuse

	static *staticStore
	docs   *docStore

	work chan struct{} // wakes the maintainer
	done chan struct{} // closed by Close
	wg   sync.WaitGroup
}

var _ Store = (*DB)(nil)

// maxTime bounds event times (UNIX ms, about 36 million years either
// way), so that partition arithmetic cannot overflow.
const maxTime = 1 << 60

// maxBatch is the most fixes one log frame holds.
const maxBatch = (maxFrame - 1) / rawFixSize

// Open opens the store in dir, creating the directory if needed, and
// recovers from a crash: it cuts off torn log tails, replays the
// write-ahead log into memory and removes files that an interrupted flush
// or compaction left behind. Only one process may have a directory open.
func Open(dir string, opts Options) (*DB, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("store options: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	db := &DB{dir: dir, opts: opts, lock: lock, work: make(chan struct{}, 1), done: make(chan struct{})}
	db.stall = sync.NewCond(&db.mu)
	if err := db.recover(); err != nil {
		db.closeFiles()
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	db.wg.Add(2)
	go db.syncLoop()
	go db.maintain()
	db.kick()
	return db, nil
}

func (db *DB) recover() error {
	m, err := readManifest(db.dir)
	if err != nil {
		return err
	}
	db.minWAL = m.MinWAL
	live := make(map[string]bool)
	var maxSeq uint64
	for _, meta := range m.Segments {
		s, err := openSegment(db.dir, meta)
		if err != nil {
			return err
		}
		db.segs = append(db.segs, s)
		live[meta.File] = true
		_, seq, _ := parseSegName(meta.File)
		maxSeq = max(maxSeq, seq)
	}
	sortSegments(db.segs)
	ents, err := os.ReadDir(db.dir)
	if err != nil {
		return err
	}
	var wals []uint64
	for _, e := range ents {
		name := e.Name()
		path := filepath.Join(db.dir, name)
		if seq, ok := parseWALName(name); ok {
			maxSeq = max(maxSeq, seq)
			if seq < m.MinWAL {
				if err := os.Remove(path); err != nil {
					return err
				}
				continue
			}
			wals = append(wals, seq)
		}
		if _, seq, ok := parseSegName(name); ok && !live[name] {
			maxSeq = max(maxSeq, seq)
			if err := os.Remove(path); err != nil {
				return err
			}
		}
		if strings.HasSuffix(name, ".tmp") {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	db.nextSeq = maxSeq + 1
	slices.Sort(wals)
	for _, seq := range wals {
		mt, err := db.replayWAL(seq)
		if err != nil {
			return err
		}
		if db.mem != nil {
			db.imm = append(db.imm, db.mem)
		}
		db.mem = mt
	}
	if db.mem == nil || db.mem.bytes() >= db.opts.MemtableSize {
		if err := db.rotate(); err != nil {
			return err
		}
	}
	db.static, err = openStatic(filepath.Join(db.dir, "static.log"))
	if err != nil {
		return err
	}
	db.docs, err = openDocs(filepath.Join(db.dir, "docs.log"))
	return err
}

func (db *DB) replayWAL(seq uint64) (*memtable, error) {
	name := walName(seq)
	mt := newMemtable(seq, nil)
	var batch []track.Fix
	f, size, err := recoverLog(filepath.Join(db.dir, name), func(off int64, p []byte) error {
		if p[0] != 1 || (len(p)-1)%rawFixSize != 0 {
			return &CorruptError{File: name, Offset: off, Reason: "not a batch of fixes"}
		}
		batch = batch[:0]
		for b := p[1:]; len(b) > 0; b = b[rawFixSize:] {
			batch = append(batch, rawFix(b))
		}
		mt.add(batch)
		return nil
	})
	if err != nil {
		return nil, err
	}
	mt.wal, mt.size = f, size
	return mt, nil
}

// rotate makes the active memtable immutable and starts a new one with a
// new log file. Under mu (or before the DB is shared).
func (db *DB) rotate() error {
	seq := db.nextSeq
	f, err := os.OpenFile(filepath.Join(db.dir, walName(seq)), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("log: %w", err)
	}
	db.nextSeq++
	if db.mem != nil {
		db.imm = append(db.imm, db.mem)
	}
	db.mem = db.recycled(seq, f)
	db.mem.reserve(db.opts.MemtableSize / memFixBytes)
	db.dirDirty = true
	db.kick()
	return nil
}

// recycled returns a memtable for log seq, reusing the memory of one
// that was written out if there is one.
func (db *DB) recycled(seq uint64, wal *os.File) *memtable {
	db.freeMu.Lock()
	m := db.free
	db.free = nil
	db.freeMu.Unlock()
	if m == nil {
		return newMemtable(seq, wal)
	}
	m.reset(seq, wal)
	return m
}

// unrefMem drops a reference to a memtable; the last one of a memtable
// that is no longer in the DB's list keeps its memory for reuse.
func (db *DB) unrefMem(m *memtable) {
	if m.refs.Add(-1) != 0 {
		return
	}
	db.freeMu.Lock()
	if db.free == nil || cap(db.free.fixes) < cap(m.fixes) {
		db.free = m
	}
	db.freeMu.Unlock()
}

// kick wakes the maintainer.
func (db *DB) kick() {
	select {
	case db.work <- struct{}{}:
	default:
	}
}

func (db *DB) failed(err error) {
	db.mu.Lock()
	if db.bgErr == nil {
		db.bgErr = err
	}
	db.stall.Broadcast()
	db.mu.Unlock()
}

// AppendFixes logs fixes to the write-ahead log (one write per call of up
// to about 1.3 million fixes) and adds them to the memtable; see the
// package doc for what its nil return acknowledges. It waits only in a
// write stall (see Options.MemtableStopWrites), never for fsync. A batch
// with a time beyond ±2^60 ms is refused whole; on other errors a prefix
// of fixes may have been stored.
func (db *DB) AppendFixes(fixes []track.Fix) error {
	if len(fixes) == 0 {
		return nil
	}
	for i := range fixes {
		if t := fixes[i].Time; t < -maxTime || t > maxTime {
			return fmt.Errorf("fix %d of vessel %d: time %d out of range; nothing stored", i, fixes[i].MMSI, t)
		}
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	for len(fixes) > 0 {
		if err := db.writable(); err != nil {
			return err
		}
		n := min(len(fixes), maxBatch)
		if used := len(db.mem.fixes); used > 0 && ((used+n)*memFixBytes > db.opts.MemtableSize || used+n > 1<<30) {
			for len(db.imm) >= db.opts.MemtableStopWrites && db.bgErr == nil && !db.closed {
				db.stall.Wait()
			}
			if err := db.writable(); err != nil {
				return err
			}
			if err := db.rotate(); err != nil {
				return fmt.Errorf("store: %w", err)
			}
		}
		if err := db.logFixes(fixes[:n]); err != nil {
			return err
		}
		db.mem.add(fixes[:n])
		fixes = fixes[n:]
	}
	db.pending.Add(1)
	return nil
}

func (db *DB) writable() error {
	if db.closed {
		return ErrClosed
	}
	if db.bgErr != nil {
		return fmt.Errorf("store: background work failed: %w", db.bgErr)
	}
	return nil
}

// logFixes writes one frame to the active log. Under mu.
func (db *DB) logFixes(fixes []track.Fix) error {
	need := frameHeader + 1 + len(fixes)*rawFixSize
	b := slices.Grow(db.walBuf[:0], need)[:need]
	b[frameHeader] = 1
	for i, p := 0, frameHeader+1; i < len(fixes); i, p = i+1, p+rawFixSize {
		putRawFix(b[p:], &fixes[i])
	}
	sealFrame(b)
	db.walBuf = b
	mt := db.mem
	if _, err := mt.wal.Write(b); err != nil {
		// Cut a partial frame off so that later frames stay reachable.
		if terr := mt.wal.Truncate(mt.size); terr != nil {
			db.bgErr = fmt.Errorf("log %s: write: %w (and truncate: %v)", walName(mt.seq), err, terr)
			return db.bgErr
		}
		if _, serr := mt.wal.Seek(mt.size, io.SeekStart); serr != nil {
			db.bgErr = fmt.Errorf("log %s: write: %w (and seek: %v)", walName(mt.seq), err, serr)
			return db.bgErr
		}
		return fmt.Errorf("log %s: write: %w", walName(mt.seq), err)
	}
	mt.size += int64(len(b))
	return nil
}

// Sync fsyncs everything acknowledged so far: the write-ahead log, new
// directory entries, the static and document logs. When it returns nil,
// every AppendFixes, PutStatic and PutDoc that returned before the call
// survives power loss.
func (db *DB) Sync() error {
	db.syncMu.Lock()
	defer db.syncMu.Unlock()
	db.mu.RLock()
	closed := db.closed
	db.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	return db.syncLocked()
}

// syncLocked is Sync under syncMu.
func (db *DB) syncLocked() error {
	gen := db.pending.Load()
	db.mu.Lock()
	files := make([]*os.File, 0, len(db.imm)+1)
	for _, mt := range db.imm {
		files = append(files, mt.wal)
	}
	files = append(files, db.mem.wal)
	dir := db.dirDirty
	db.dirDirty = false
	db.mu.Unlock()
	for _, f := range files {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("log %s: sync: %w", filepath.Base(f.Name()), err)
		}
	}
	if dir {
		if err := syncDir(db.dir); err != nil {
			db.mu.Lock()
			db.dirDirty = true
			db.mu.Unlock()
			return fmt.Errorf("store directory: sync: %w", err)
		}
	}
	if err := db.static.log.sync(); err != nil {
		return err
	}
	if err := db.docs.log.sync(); err != nil {
		return err
	}
	db.synced.Store(gen)
	return nil
}

// syncLoop is the group commit: it syncs every SyncInterval while there
// is something to sync.
func (db *DB) syncLoop() {
	defer db.wg.Done()
	if db.opts.SyncInterval < 0 {
		<-db.done
		return
	}
	t := time.NewTicker(db.opts.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-db.done:
			return
		case <-t.C:
		}
		if db.pending.Load() == db.synced.Load() {
			continue
		}
		if err := db.Sync(); err != nil && !errors.Is(err, ErrClosed) {
			db.failed(err)
			return
		}
	}
}

// Flush writes the memtable out as segments and waits until every fix
// appended before the call is in a segment. Closing does not need it: the
// write-ahead log is replayed on Open.
func (db *DB) Flush() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if err := db.writable(); err != nil {
		return err
	}
	if len(db.mem.fixes) > 0 {
		for len(db.imm) >= db.opts.MemtableStopWrites+1 && db.bgErr == nil && !db.closed {
			db.stall.Wait()
		}
		if err := db.writable(); err != nil {
			return err
		}
		if err := db.rotate(); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	if len(db.imm) == 0 {
		return nil
	}
	target := db.imm[len(db.imm)-1]
	for slices.Contains(db.imm, target) {
		if err := db.writable(); err != nil {
			return err
		}
		db.stall.Wait()
	}
	return nil
}

// Close stops background work, syncs, and closes the files. Full
// memtables not yet written out stay in their logs and are replayed by
// the next Open.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return ErrClosed
	}
	db.closed = true
	db.stall.Broadcast()
	db.mu.Unlock()
	close(db.done)
	db.wg.Wait()
	db.maintMu.Lock()
	defer db.maintMu.Unlock()
	db.syncMu.Lock()
	err := db.syncLocked()
	db.syncMu.Unlock()
	if cerr := db.closeFiles(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store close: %w", err)
	}
	return nil
}

// closeFiles closes every file; for Close and a failed Open.
func (db *DB) closeFiles() error {
	var errs []error
	for _, mt := range append(db.imm, db.mem) {
		if mt != nil && mt.wal != nil {
			errs = append(errs, mt.wal.Close())
		}
	}
	for _, s := range db.segs {
		s.unref()
	}
	db.segs = nil
	if db.static != nil {
		errs = append(errs, db.static.log.close())
	}
	if db.docs != nil {
		errs = append(errs, db.docs.log.close())
	}
	errs = append(errs, unlockDir(db.lock))
	return errors.Join(errs...)
}

// sortSegments orders segments by partition start, then by sequence.
func sortSegments(segs []*segment) {
	slices.SortFunc(segs, func(a, b *segment) int {
		if a.meta.Start != b.meta.Start {
			if a.meta.Start < b.meta.Start {
				return -1
			}
			return 1
		}
		_, sa, _ := parseSegName(a.meta.File)
		_, sb, _ := parseSegName(b.meta.File)
		return cmp.Compare(sa, sb)
	})
}
