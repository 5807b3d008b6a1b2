package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"straitwatch/internal/sim"
)

func runSimulate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: straitwatch simulate [flags] SCENARIO

Plays a scenario file (YAML, see scenarios/README.md) of background traffic
and incidents in the Strait of Hormuz as AIS NMEA sentences with tag blocks
(c: time, s: receiver), to a file or standard output, a TCP server (-tcp),
TCP clients connecting to us (-listen) or UDP (-udp). The same scenario and
seed always give the same bytes. Ground truth of the incidents goes to
-truth as JSON lines; the exercise's own zones (restricted areas, the
simulator's approximate traffic lanes) to -zones as GeoJSON, for a
server's detect.extra_zones. Against a live server, play accelerated
exercises without -now: event times ahead of the server's clock are
treated as suspect and do not advance its event time.

flags:`)
		fs.PrintDefaults()
	}
	out := fs.String("o", "", "write sentences to `FILE` (\"-\" for standard output; the default when no other output is given)")
	tcp := fs.String("tcp", "", "connect to `HOST:PORT` and write sentences to it")
	listen := fs.String("listen", "", "serve sentences to TCP clients on `HOST:PORT`; waits for the first client before playing")
	udp := fs.String("udp", "", "send sentences as UDP datagrams to `HOST:PORT`")
	truth := fs.String("truth", "", "write the incidents' ground truth as JSON lines to `FILE`")
	zones := fs.String("zones", "", "write the exercise's zones (restricted areas, the simulator's approximate lanes) as GeoJSON to `FILE`, for serve's detect.extra_zones")
	speed := fs.Float64("speed", 0, "play at `N` times real time; 0 plays as fast as possible")
	seed := fs.Uint64("seed", 0, "override the scenario's seed")
	duration := fs.Duration("duration", 0, "override the scenario's duration")
	now := fs.Bool("now", false, "start the scenario at the current time (whole seconds) instead of its start")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() != 1 || *speed < 0 {
		fs.Usage()
		return errUsage
	}
	sc, err := sim.LoadScenarioFile(fs.Arg(0))
	if err != nil {
		return err
	}
	if *seed != 0 {
		sc.Seed = *seed
	}
	if *duration != 0 {
		sc.Duration = *duration
		kept := sc.Incidents[:0]
		for _, in := range sc.Incidents {
			if in.At < sc.Duration {
				kept = append(kept, in)
			}
		}
		if n := len(sc.Incidents) - len(kept); n > 0 {
			fmt.Fprintf(stderr, "simulate: %d incidents start after -duration %v and are left out\n", n, sc.Duration)
		}
		sc.Incidents = kept
	}
	if *now {
		sc.Start = time.Now().UTC().Truncate(time.Second)
	}
	if *zones != "" {
		b, err := sim.ExerciseZones(sc)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*zones, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("zones: %w", err)
		}
	}
	s, err := sim.New(sc)
	if err != nil {
		return err
	}

	var (
		sinks    []io.Writer
		closers  []io.Closer
		flushers []*bufio.Writer
	)
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	// Buffer files when playing as fast as possible; when paced, write
	// each simulated second as it is due.
	buffer := func(w io.Writer) io.Writer {
		if *speed > 0 {
			return w
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		flushers = append(flushers, bw)
		return bw
	}
	if *out != "" && *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		closers = append(closers, f)
		sinks = append(sinks, buffer(f))
	}
	if *tcp != "" {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", *tcp)
		if err != nil {
			return fmt.Errorf("tcp: %w", err)
		}
		closers = append(closers, c)
		sinks = append(sinks, c)
	}
	if *udp != "" {
		c, err := net.Dial("udp", *udp)
		if err != nil {
			return fmt.Errorf("udp: %w", err)
		}
		closers = append(closers, c)
		sinks = append(sinks, &datagramWriter{w: c, max: 1400})
	}
	if *listen != "" {
		srv, err := newFanout(ctx, *listen, stderr)
		if err != nil {
			return err
		}
		closers = append(closers, srv)
		if err := srv.waitClient(ctx); err != nil {
			return nil // interrupted before any client came
		}
		sinks = append(sinks, srv)
	}
	if *out == "-" || len(sinks) == 0 {
		sinks = append(sinks, buffer(stdout))
	}
	p := sim.Player{AIS: multiWriter(sinks), Speed: *speed}
	if *truth != "" {
		f, err := os.Create(*truth)
		if err != nil {
			return err
		}
		closers = append(closers, f)
		p.Truth = buffer(f) // paced: a live exercise sees each incident as it starts
	}
	fmt.Fprintf(stderr, "simulate: %s: %d stations, %d incidents, %v from %s\n", sc.Name, s.Vessels(), len(sc.Incidents),
		sc.Duration, sc.Start.Format(time.RFC3339))
	err = p.Run(ctx, s)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	for _, bw := range flushers {
		if ferr := bw.Flush(); err == nil && ferr != nil {
			err = ferr
		}
	}
	return err
}

// multiWriter writes to every writer, stopping at the first error.
func multiWriter(ws []io.Writer) io.Writer {
	if len(ws) == 1 {
		return ws[0]
	}
	return io.MultiWriter(ws...)
}

// datagramWriter splits writes at line ends into datagrams of at most max
// bytes (a longer line goes alone).
type datagramWriter struct {
	w   io.Writer
	max int
}

func (d *datagramWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		end := 0
		for i := 0; i < len(p); i++ {
			if p[i] == '\n' {
				if i+1 > d.max && end > 0 {
					break
				}
				end = i + 1
				if end >= d.max {
					break
				}
			}
		}
		if end == 0 {
			end = len(p)
		}
		if _, err := d.w.Write(p[:end]); err != nil {
			return n - len(p), fmt.Errorf("udp: %w", err)
		}
		p = p[end:]
	}
	return n, nil
}

// fanout serves the stream to every connected TCP client. A client that
// cannot take a write within 5 s is dropped.
type fanout struct {
	ln      net.Listener
	stderr  io.Writer
	mu      sync.Mutex
	clients []net.Conn
	first   chan struct{}
	once    sync.Once
	done    chan struct{}
}

func newFanout(ctx context.Context, addr string, stderr io.Writer) (*fanout, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	f := &fanout{ln: ln, stderr: stderr, first: make(chan struct{}), done: make(chan struct{})}
	fmt.Fprintf(stderr, "simulate: serving on %s\n", ln.Addr())
	go f.accept(ctx)
	return f, nil
}

// accept adds clients until the listener closes or ctx ends.
func (f *fanout) accept(ctx context.Context) {
	defer close(f.done)
	stop := context.AfterFunc(ctx, func() { f.ln.Close() })
	defer stop()
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.clients = append(f.clients, c)
		f.mu.Unlock()
		f.once.Do(func() { close(f.first) })
	}
}

func (f *fanout) waitClient(ctx context.Context) error {
	select {
	case <-f.first:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *fanout) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	kept := f.clients[:0]
	for _, c := range f.clients {
		c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write(p); err != nil {
			fmt.Fprintf(f.stderr, "simulate: client %s dropped: %v\n", c.RemoteAddr(), err)
			c.Close()
			continue
		}
		kept = append(kept, c)
	}
	f.clients = kept
	return len(p), nil
}

// Close stops accepting, closes every client and waits for the accept
// loop to end.
func (f *fanout) Close() error {
	err := f.ln.Close()
	<-f.done
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.clients {
		c.Close()
	}
	f.clients = nil
	return err
}
