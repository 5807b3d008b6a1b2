package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"straitwatch/ais"
)

// replayExts are the names a directory replay reads, each also with
// ".gz".
var replayExts = []string{".nmea", ".aivdm", ".ais", ".txt", ".log"}

// listFiles returns path, or the files of directory path whose names fit
// accept, sorted by name, with their total size.
func listFiles(path string, accept func(name string) bool) ([]string, int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !fi.IsDir() {
		return []string{path}, fi.Size(), nil
	}
	entries, err := os.ReadDir(path) // sorted by name
	if err != nil {
		return nil, 0, err
	}
	var files []string
	var size int64
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || !accept(name) {
			continue
		}
		if info, err := e.Info(); err == nil {
			size += info.Size()
		}
		files = append(files, filepath.Join(path, name))
	}
	if len(files) == 0 {
		return nil, 0, fmt.Errorf("%s: no files to read", path)
	}
	return files, size, nil
}

func acceptNMEA(name string) bool {
	name = strings.TrimSuffix(strings.ToLower(name), ".gz")
	for _, ext := range replayExts {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// countingReader counts the bytes read into a source's Bytes.
type countingReader struct {
	r io.Reader
	n *atomic.Uint64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(uint64(n))
	return n, err
}

// openData opens a file, decompressing it when it starts with the gzip
// magic bytes (whatever its name).
func (s *Source) openData(name string) (io.Reader, func() error, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(countingReader{f, &s.c.bytes}, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		return zr, f.Close, nil
	}
	return br, f.Close, nil
}

// runFile replays the configured file or directory, once or in a loop.
func (s *Source) runFile(ctx context.Context) error {
	files, size, err := listFiles(s.cfg.Path, acceptNMEA)
	if err != nil {
		return err
	}
	s.c.size.Store(size)
	s.c.connected.Store(true)
	defer s.c.connected.Store(false)
	s.markReady()
	var errs []error
	for pass := 0; ; pass++ {
		var err error
		if s.cfg.Rate > 0 || s.cfg.Workers <= 1 {
			err = s.replaySequential(ctx, files, &errs, pass == 0)
		} else {
			err = s.replayParallel(ctx, files, &errs, pass == 0)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		if !s.cfg.Loop {
			return errors.Join(errs...)
		}
	}
}

// fileErr counts a file's error and keeps it for Run's result.
func (s *Source) fileErr(errs *[]error, keep bool, name string, err error) {
	err = fmt.Errorf("%s: %w", name, err)
	s.noteErr(err)
	if keep {
		*errs = append(*errs, err)
	}
}

// replaySequential reads the files in one goroutine, pacing them when Rate
// is set.
func (s *Source) replaySequential(ctx context.Context, files []string, errs *[]error, keep bool) error {
	f := s.newFramer(func(b *block) { s.deliver(ctx, b) })
	defer f.release()
	if s.cfg.Rate > 0 {
		pc := &pacer{rate: s.cfg.Rate, clock: s.p.cfg.Clock, sleep: sleepCtx, ctx: ctx, before: f.flush}
		f.pace = pc.pace
	}
	buf := make([]byte, 256<<10)
	for _, name := range files {
		r, closeFn, err := s.openData(name)
		if err != nil {
			s.fileErr(errs, keep, name, err)
			continue
		}
		for {
			n, err := r.Read(buf)
			if n > 0 {
				f.setArrival(s.p.cfg.Clock())
				if perr := f.feed(buf[:n]); perr != nil {
					closeFn()
					return nil // pacing stopped: ctx is done
				}
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					s.fileErr(errs, keep, name, err)
				}
				break
			}
			if ctx.Err() != nil {
				closeFn()
				return nil
			}
		}
		closeFn()
		f.finish()
		f.flush()
	}
	return nil
}

// pacer delays a replay to Rate times its recorded speed: a sentence with
// tag-block time t is handed on at w0 + (t - t0) / rate, where t0 is the
// first time seen and w0 the clock then. A time before t0 (a new file, a
// loop) starts again from it.
type pacer struct {
	rate    float64
	clock   func() time.Time
	sleep   func(ctx context.Context, d time.Duration) bool
	ctx     context.Context
	before  func() // called before waiting, to hand on what is ready
	t0, w0  time.Time
	started bool
}

func (p *pacer) pace(t time.Time) error {
	if !p.started || t.Before(p.t0) {
		p.t0, p.w0, p.started = t, p.clock(), true
		return nil
	}
	due := p.w0.Add(time.Duration(float64(t.Sub(p.t0)) / p.rate))
	if d := due.Sub(p.clock()); d > 0 {
		p.before()
		if !p.sleep(p.ctx, d) {
			return p.ctx.Err()
		}
	}
	return nil
}

// A chunk is a piece of a file cut at a message boundary, decoded by one
// of several workers.
type chunk struct {
	data     []byte
	arrival  time.Time
	skipHead bool // starts inside an over-long line
	blocks   []*block
	done     chan struct{}
}

// replayParallel reads the files in chunks of 1 MiB, decodes them on
// Workers goroutines and hands the blocks on in file order.
func (s *Source) replayParallel(ctx context.Context, files []string, errs *[]error, keep bool) error {
	workers := s.cfg.Workers
	jobs := make(chan *chunk, workers)
	order := make(chan *chunk, 2*workers)
	bufs := make(chan []byte, 3*workers+1) // free chunk buffers

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			f := s.newFramer(nil)
			defer f.release()
			for c := range jobs {
				f.emit = func(b *block) { c.blocks = append(c.blocks, b) }
				f.skipping = c.skipHead
				f.setArrival(c.arrival)
				_ = f.feed(c.data)
				f.finish()
				f.flush()
				close(c.done)
			}
		})
	}
	emitted := make(chan struct{})
	go func() {
		defer close(emitted)
		for c := range order {
			<-c.done // every chunk queued is decoded, even after ctx is done
			for _, b := range c.blocks {
				s.deliver(ctx, b)
			}
			select {
			case bufs <- c.data[:0]:
			default:
			}
		}
	}()

	send := func(c *chunk) bool {
		c.done = make(chan struct{})
		select {
		case order <- c:
		case <-ctx.Done():
			return false
		}
		jobs <- c // never blocks for long: workers drain jobs whatever happens
		return true
	}
	for _, name := range files {
		r, closeFn, err := s.openData(name)
		if err != nil {
			s.fileErr(errs, keep, name, err)
			continue
		}
		err = s.readChunks(r, bufs, send)
		closeFn()
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			s.fileErr(errs, keep, name, err)
		}
	}
	close(order)
	close(jobs)
	wg.Wait()
	<-emitted
	return nil
}

// readChunks cuts r into chunks that end at message boundaries and sends
// them, the last one of the file flagged. It returns the read error
// (nil at the end of the file), or nil when send refuses.
func (s *Source) readChunks(r io.Reader, bufs chan []byte, send func(*chunk) bool) error {
	var carry []byte
	skip := false
	for {
		var buf []byte
		select {
		case buf = <-bufs:
		default:
			buf = make([]byte, 0, s.chunk)
		}
		if len(carry) >= cap(buf) {
			buf = make([]byte, 0, 2*len(carry))
		}
		buf = append(buf, carry...)
		var rerr error
		for len(buf) < cap(buf) && rerr == nil {
			var n int
			n, rerr = r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
		}
		c := &chunk{arrival: s.p.cfg.Clock(), skipHead: skip}
		if rerr != nil {
			c.data = buf
			if !send(c) || errors.Is(rerr, io.EOF) {
				return nil
			}
			return rerr
		}
		cut := bytes.LastIndexByte(buf, '\n') + 1
		if cut == 0 { // no line end in a whole chunk: one over-long line
			c.data = buf
			skip = true
			carry = carry[:0]
		} else {
			cut = fragmentCut(buf, cut)
			if cut == 0 { // a message spans the whole chunk: read on
				carry = append(carry[:0], buf...)
				select {
				case bufs <- buf[:0]:
				default:
				}
				continue
			}
			carry = append(carry[:0], buf[cut:]...)
			c.data = buf[:cut]
			skip = false
		}
		if !send(c) {
			return nil
		}
	}
}

// fragmentCut moves a chunk's end, cut (just after a '\n'), back before
// the earliest of its last lines that starts or continues a multi-sentence
// message whose last fragment is not among them, so that the message is
// decoded whole with the next chunk. Fragments of several messages may
// interleave (several receivers in one file). It looks back at most
// maxFragmentsLookback lines. It returns 0 when the chunk should not be
// cut at all: the caller then reads more before cutting.
func fragmentCut(buf []byte, cut int) int {
	type frag struct {
		start   int
		key     fragKey
		num     int
		total   int
		partial bool
	}
	var tail [maxFragmentsLookback]frag
	n := 0
	end := cut
	var s ais.Sentence
	for n < len(tail) && end > 0 {
		start := bytes.LastIndexByte(buf[:end-1], '\n') + 1
		f := frag{start: start}
		if ais.ParseSentence(buf[start:end-1], &s) == nil && s.Total > 1 {
			f.key = fragKey{source: string(s.Tag.Source), channel: s.Channel, seq: s.Seq, group: s.Tag.Group.ID}
			f.num, f.total, f.partial = s.Num, s.Total, true
		}
		tail[n] = f
		n++
		end = start
	}
	// tail[n-1] is the oldest line. A fragment is finished when a later
	// line is its message's last fragment.
	for i := n - 1; i >= 0; i-- {
		f := tail[i]
		if !f.partial || f.num == f.total {
			continue
		}
		finished := false
		for j := i - 1; j >= 0; j-- {
			if g := tail[j]; g.partial && g.key == f.key && g.total == f.total && g.num == g.total {
				finished = true
				break
			}
		}
		if !finished {
			return f.start
		}
	}
	return cut
}

// fragKey identifies the fragments of one message, as ais.Assembler does.
type fragKey struct {
	source  string
	channel byte
	seq     int
	group   int
}
