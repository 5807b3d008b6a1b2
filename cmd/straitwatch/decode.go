package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"straitwatch/ais"
)

var errUsage = errors.New("usage")

// decodeConfig holds the decode subcommand's flags.
type decodeConfig struct {
	unscaled bool
	format   string
	dedup    int
	split24  bool
	quiet    bool
	progress string
	verbose  bool
	maxLen   int
}

func runDecode(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg decodeConfig
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: straitwatch decode [flags] [FILE...]

Decodes AIS NMEA 0183 (!AIVDM/!AIVDO, any talker, with or without IEC 62320-1
tag blocks) from the files, or standard input when none, gzip read
transparently. Writes one gpsd-style JSON object per message (the same
members and values as gpsd's gpsdecode -j), or CSV. A summary of what was
read, decoded and rejected goes to standard error.

flags:`)
		fs.PrintDefaults()
	}
	fs.BoolVar(&cfg.unscaled, "u", false, "unscaled JSON: raw integer fields, as gpsdecode -u")
	fs.StringVar(&cfg.format, "format", "json", "output format: json, csv, or count (decode only, then print \"messages=N errors=M\")")
	fs.IntVar(&cfg.dedup, "dedup", 0, "drop a message equal to one of the last `N` messages (several receivers hearing one transmission); 0 is off, as gpsdecode")
	fs.BoolVar(&cfg.split24, "split24", false, "print type 24 parts A and B as they come instead of pairing them as gpsdecode does")
	fs.BoolVar(&cfg.quiet, "q", false, "no summary on standard error")
	fs.IntVar(&cfg.maxLen, "max-sentence", ais.MaxSentence, "reject sentences longer than `N` characters, the standard's limit; -1 accepts any length (some receivers send longer ones)")
	fs.BoolVar(&cfg.verbose, "v", false, "print every rejected line, with its number and reason, on standard error")
	fs.StringVar(&cfg.progress, "progress", "auto", "progress bar on standard error: auto (when a terminal), on or off")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if cfg.format != "json" && cfg.format != "csv" && cfg.format != "count" {
		return fmt.Errorf("unknown format %q: want json, csv or count", cfg.format)
	}

	in, size, closeIn, err := openInputs(fs.Args(), stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	counted := &countingReader{r: in}

	var stopProgress func()
	if cfg.progress == "on" || cfg.progress == "auto" && isTerminal(stderr) {
		stopProgress = startProgress(ctx, stderr, counted, size)
	}

	start := time.Now()
	out := bufio.NewWriterSize(stdout, 256<<10)
	device := "stdin"
	if len(fs.Args()) == 1 {
		device = fs.Arg(0)
	}
	st, err := decodeStream(ctx, counted, out, cfg, device, stderr)
	if stopProgress != nil {
		stopProgress()
	}
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if !cfg.quiet {
		printSummary(stderr, st, time.Since(start))
	}
	return err
}

// decodeStream decodes everything in r to w and returns the counters.
func decodeStream(ctx context.Context, r io.Reader, w *bufio.Writer, cfg decodeConfig, device string, stderr io.Writer) (*ais.Stats, error) {
	rc := ais.ReaderConfig{Dedup: cfg.dedup, MaxSentence: cfg.maxLen}
	if cfg.verbose {
		rc.OnReject = func(line uint64, text []byte, reason ais.Reason) {
			fmt.Fprintf(stderr, "line %d: %v: %q\n", line, reason, text)
		}
	}
	rd := ais.NewReader(r, rc)
	opts := ais.JSONOptions{Scaled: !cfg.unscaled, Device: device}
	var (
		pairer ais.Pairer
		buf    []byte
		n      int
	)
	if cfg.format == "csv" {
		buf = appendCSVHeader(buf)
	}
	for rd.Scan() {
		if n++; n&4095 == 0 && ctx.Err() != nil {
			return rd.Stats(), ctx.Err()
		}
		m := rd.Message()
		merged := false
		if s, ok := m.(*ais.StaticDataReport); ok && !cfg.split24 {
			p := pairer.Pair(s, rd.Channel())
			if p == nil {
				continue
			}
			m, merged = p, true
		}
		switch cfg.format {
		case "count":
			continue
		case "csv":
			buf = appendCSV(buf, m, rd.Tag().Time)
		default:
			opts.Merged24 = merged
			buf = ais.AppendJSON(buf, m, opts)
		}
		if len(buf) > 64<<10 {
			if _, err := w.Write(buf); err != nil {
				return rd.Stats(), err
			}
			buf = buf[:0]
		}
	}
	if cfg.format == "count" {
		st := rd.Stats()
		buf = fmt.Appendf(buf, "messages=%d errors=%d\n", st.Messages, st.RejectedTotal())
	}
	if _, err := w.Write(buf); err != nil {
		return rd.Stats(), err
	}
	return rd.Stats(), rd.Err()
}

// openInputs opens the named files one after another (stdin when none),
// decompressing .gz files. size is their total size on disk, or -1.
func openInputs(names []string, stdin io.Reader) (r io.Reader, size int64, closeAll func(), err error) {
	if len(names) == 0 {
		return stdin, -1, func() {}, nil
	}
	var (
		readers []io.Reader
		closers []io.Closer
	)
	closeAll = func() {
		for _, c := range closers {
			c.Close()
		}
	}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			closeAll()
			return nil, 0, nil, err
		}
		closers = append(closers, f)
		if fi, err := f.Stat(); err == nil {
			size += fi.Size()
		}
		var fr io.Reader = f
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				closeAll()
				return nil, 0, nil, fmt.Errorf("%s: %w", name, err)
			}
			fr = &gzipFile{name: name, zr: zr}
			size = -1 // compressed size says little about progress
		}
		readers = append(readers, fr)
	}
	return io.MultiReader(readers...), size, closeAll, nil
}

// gzipFile names the file in decompression errors, such as a truncated
// archive; what was read before the error is still decoded.
type gzipFile struct {
	name string
	zr   *gzip.Reader
}

func (g *gzipFile) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w", g.name, err)
	}
	return n, err
}

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// startProgress draws a progress line every 200 ms until the returned stop
// function is called, which erases it.
func startProgress(ctx context.Context, w io.Writer, c *countingReader, size int64) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprint(w, "\r\033[K"+progressLine(c.n.Load(), size, time.Since(start)))
			}
		}
	}()
	return func() { cancel(); <-done }
}

// progressLine renders one progress line.
func progressLine(n, size int64, elapsed time.Duration) string {
	rate := float64(n) / elapsed.Seconds() / 1e6
	if size <= 0 {
		return fmt.Sprintf("%.1f MB read, %.1f MB/s", float64(n)/1e6, rate)
	}
	const width = 30
	frac := min(1, float64(n)/float64(size))
	bar := strings.Repeat("=", int(frac*width)) + strings.Repeat(" ", width-int(frac*width))
	eta := ""
	if rate > 0 {
		eta = fmt.Sprintf(", %s left", time.Duration(float64(size-n)/(rate*1e6)*float64(time.Second)).Round(time.Second))
	}
	return fmt.Sprintf("[%s] %3.0f%% %.1f/%.1f MB, %.1f MB/s%s", bar, frac*100, float64(n)/1e6, float64(size)/1e6, rate, eta)
}

// printSummary writes what was read, decoded and rejected.
func printSummary(w io.Writer, st *ais.Stats, took time.Duration) {
	fmt.Fprintf(w, "lines %d: %d sentences, %d skipped (blank or comment); messages %d decoded, %d duplicates, %d incomplete multipart; %d rejected\n",
		st.Lines, st.Sentences, st.Skipped, st.Messages, st.Duplicates, st.Incomplete, st.RejectedTotal())
	var types []string
	for t, n := range st.ByType {
		if n > 0 {
			types = append(types, fmt.Sprintf("%d:%d", t, n))
		}
	}
	if len(types) > 0 {
		fmt.Fprintf(w, "decoded by type: %s\n", strings.Join(types, " "))
	}
	var rej []string
	for _, r := range ais.Reasons() {
		if n := st.Rejected[r]; n > 0 {
			rej = append(rej, fmt.Sprintf("%s %d", r.Error(), n))
		}
	}
	sort.Strings(rej)
	if len(rej) > 0 {
		fmt.Fprintf(w, "rejected by reason: %s\n", strings.Join(rej, ", "))
	}
	if s := took.Seconds(); s > 0 {
		fmt.Fprintf(w, "%.2f s, %.0f lines/s\n", s, float64(st.Lines)/s)
	}
}
