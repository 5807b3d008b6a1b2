// Package peerbench runs peer AIS decoders (gpsd's gpsdecode, libais and the
// npm package ais-stream-decoder) as child processes on a shared NMEA corpus,
// so that straitwatch's own decoder can be compared with them in one run.
//
// Each run is timed by wall clock and by the child's CPU time (user + system,
// from its rusage), and the decoded messages are counted from the child's
// output. The peers and their drivers are installed by bench/peers/install.sh.
package peerbench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Output says how the messages a peer decoded are counted from its stdout.
type Output int

const (
	// CountLines means each output line is one decoded message (gpsdecode -j).
	CountLines Output = iota
	// SummaryLine means the last output line reads "messages=N errors=M", as
	// printed by the driver scripts in bench/peers.
	SummaryLine
)

// Peer is one peer decoder in one mode, ready to be run on a corpus.
type Peer struct {
	// Name identifies the decoder, such as "gpsdecode" or "libais".
	Name string
	// Version is the decoder's version as found on this machine.
	Version string
	// Mode says how it is invoked, such as "-j (scaled JSON)".
	Mode string
	// Output says how its decoded messages are counted.
	Output Output
	// Stdin, when true, makes Run feed the corpus file on standard input.
	Stdin bool
	// Cmd builds the command that decodes the corpus at the given path.
	Cmd func(ctx context.Context, corpus string) *exec.Cmd
}

// Label returns the peer's name and mode on one line.
func (p Peer) Label() string { return p.Name + " " + p.Mode }

// Skipped names a peer that is not available on this machine and says why.
type Skipped struct {
	// Name identifies the missing peer.
	Name string
	// Reason says what is missing.
	Reason string
}

// Available lists the peers installed on this machine, in a fixed order, and
// the ones it skipped with the reason. dir is the bench/peers directory that
// holds the driver scripts and the node_modules installed by install.sh.
func Available(dir string) (peers []Peer, skipped []Skipped) {
	add := func(p []Peer, name string, err error) {
		if err != nil {
			skipped = append(skipped, Skipped{Name: name, Reason: err.Error()})
			return
		}
		peers = append(peers, p...)
	}
	p, err := gpsdecodePeers()
	add(p, "gpsdecode", err)
	p, err = libaisPeers(dir)
	add(p, "libais", err)
	p, err = aisStreamDecoderPeers(dir)
	add(p, "ais-stream-decoder", err)
	return peers, skipped
}

func gpsdecodePeers() ([]Peer, error) {
	bin, err := exec.LookPath("gpsdecode")
	if err != nil {
		return nil, errors.New("gpsdecode not found (apt-get install gpsd-clients)")
	}
	out, _ := exec.Command(bin, "-V").CombinedOutput()
	version := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(out)), "gpsdecode revision"))
	version = withDeb(version, "gpsd-clients")
	mk := func(mode string, args ...string) Peer {
		return Peer{
			Name: "gpsdecode", Version: version, Mode: mode, Output: CountLines, Stdin: true,
			Cmd: func(ctx context.Context, _ string) *exec.Cmd {
				return exec.CommandContext(ctx, bin, args...)
			},
		}
	}
	return []Peer{mk("-j (scaled JSON)", "-j"), mk("-u -j (unscaled JSON)", "-u", "-j")}, nil
}

func libaisPeers(dir string) ([]Peer, error) {
	script := filepath.Join(dir, "libais_decode.py")
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Errorf("driver missing: %w", err)
	}
	// Debian's python3-ais is built for the system interpreter, which may
	// not be the python3 first on PATH.
	var py, version string
	for _, cand := range []string{"/usr/bin/python3", "python3"} {
		bin, err := exec.LookPath(cand)
		if err != nil {
			continue
		}
		cmd := exec.Command(bin, "-c", "import _ais, ais; print(ais.__version__)")
		cmd.Dir = dir
		if out, err := cmd.Output(); err == nil {
			py, version = bin, strings.TrimSpace(string(out))
			break
		}
	}
	if py == "" {
		return nil, errors.New("no python3 can import ais (apt-get install python3-ais)")
	}
	return []Peer{{
		Name: "libais", Version: withDeb(version, "python3-ais"),
		Mode: "python3-ais ais.decode", Output: SummaryLine,
		Cmd: func(ctx context.Context, corpus string) *exec.Cmd {
			cmd := exec.CommandContext(ctx, py, script, corpus)
			cmd.Dir = dir
			return cmd
		},
	}}, nil
}

func aisStreamDecoderPeers(dir string) ([]Peer, error) {
	script := filepath.Join(dir, "ais_stream_decoder.js")
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Errorf("driver missing: %w", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node not found")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "node_modules", "ais-stream-decoder", "package.json"))
	if err != nil {
		return nil, errors.New("npm package missing (run bench/peers/install.sh)")
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return nil, fmt.Errorf("ais-stream-decoder package.json: %w", err)
	}
	version := pkg.Version
	if out, err := exec.Command(node, "--version").Output(); err == nil {
		version += " (node " + strings.TrimSpace(string(out)) + ")"
	}
	return []Peer{{
		Name: "ais-stream-decoder", Version: version, Mode: "readline stream", Output: SummaryLine,
		Cmd: func(ctx context.Context, corpus string) *exec.Cmd {
			cmd := exec.CommandContext(ctx, node, script, corpus)
			cmd.Dir = dir
			return cmd
		},
	}}, nil
}

// withDeb appends the Debian package version of pkg to v when dpkg knows it.
func withDeb(v, pkg string) string {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Version}", pkg).Output()
	if err != nil || len(out) == 0 {
		return v
	}
	return v + " (" + pkg + " " + string(out) + ")"
}

// Result is what one run of a peer on a corpus measured.
type Result struct {
	// Peer is the label of the peer that ran.
	Peer string
	// Sentences is the number of NMEA sentences in the corpus.
	Sentences int
	// Messages is the number of messages the peer decoded.
	Messages int
	// Errors is the number of errors the peer reported, or -1 when it
	// does not report them.
	Errors int
	// Wall is the elapsed time from start to exit of the child.
	Wall time.Duration
	// User and Sys are the child's user and system CPU times.
	User, Sys time.Duration
	// CPU is User plus Sys.
	CPU time.Duration
	// MaxRSS is the child's peak resident set size in bytes, or 0 if unknown.
	MaxRSS int64
}

// SentencesPerSec returns the throughput in sentences per wall-clock second.
func (r Result) SentencesPerSec() float64 { return perSec(r.Sentences, r.Wall) }

// SentencesPerCPUSec returns the throughput in sentences per CPU-second, that
// is per core fully used.
func (r Result) SentencesPerCPUSec() float64 { return perSec(r.Sentences, r.CPU) }

func perSec(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

var summaryRE = regexp.MustCompile(`^messages=(\d+) errors=(\d+)$`)

// Run runs peer p once on the corpus at path corpus and measures it. It
// counts the corpus's sentences first, outside the timed part, which also
// brings the file into the page cache. A child that exits non-zero, or whose
// output cannot be counted, is an error.
func Run(ctx context.Context, p Peer, corpus string) (Result, error) {
	res := Result{Peer: p.Label(), Errors: -1}
	n, err := CountSentences(corpus)
	if err != nil {
		return res, err
	}
	res.Sentences = n

	cmd := p.Cmd(ctx, corpus)
	if p.Stdin {
		f, err := os.Open(corpus)
		if err != nil {
			return res, err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	out := &lineCounter{}
	errTail := &tail{max: 2048}
	cmd.Stdout, cmd.Stderr = out, errTail
	cmd.WaitDelay = 5 * time.Second

	start := time.Now()
	err = cmd.Run()
	res.Wall = time.Since(start)
	if ps := cmd.ProcessState; ps != nil {
		res.User, res.Sys = ps.UserTime(), ps.SystemTime()
		res.CPU = res.User + res.Sys
		res.MaxRSS = maxRSS(ps)
	}
	if err != nil {
		return res, fmt.Errorf("%s: %w: %s", p.Label(), err, strings.TrimSpace(errTail.String()))
	}

	switch p.Output {
	case CountLines:
		res.Messages = out.lines
	case SummaryLine:
		last := strings.TrimSpace(out.lastLine())
		m := summaryRE.FindStringSubmatch(last)
		if m == nil {
			return res, fmt.Errorf("%s: no messages=N errors=M line in output %q", p.Label(), last)
		}
		res.Messages, _ = strconv.Atoi(m[1])
		res.Errors, _ = strconv.Atoi(m[2])
	}
	return res, nil
}

// lineCounter counts newlines and keeps the last complete or partial line.
type lineCounter struct {
	lines int
	last  bytes.Buffer // last non-empty line
	cur   bytes.Buffer // line being written, up to 256 bytes
}

func (c *lineCounter) Write(b []byte) (int, error) {
	n := len(b)
	c.lines += bytes.Count(b, []byte{'\n'})
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			c.add(b)
			break
		}
		c.add(b[:i])
		if c.cur.Len() > 0 {
			c.last.Reset()
			c.last.Write(c.cur.Bytes())
			c.cur.Reset()
		}
		b = b[i+1:]
	}
	return n, nil
}

// lastLine returns the last non-empty line, even one without a newline.
func (c *lineCounter) lastLine() string {
	if c.cur.Len() > 0 {
		return c.cur.String()
	}
	return c.last.String()
}

func (c *lineCounter) add(b []byte) {
	if room := 256 - c.cur.Len(); room > 0 {
		c.cur.Write(b[:min(len(b), room)])
	}
}

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	buf []byte
}

func (t *tail) Write(b []byte) (int, error) {
	t.buf = append(t.buf, b...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(b), nil
}

func (t *tail) String() string { return string(t.buf) }

// CountSentences returns the number of non-empty lines in the file at path.
func CountSentences(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := countLines(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

func countLines(r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			n++
		}
	}
	return n, sc.Err()
}

// MakeCorpus writes the file src repeat times over into dst, making sure
// each copy ends with a newline, and returns the number of sentences
// (non-empty lines) in dst.
func MakeCorpus(dst, src string, repeat int) (sentences int, err error) {
	if repeat < 1 {
		return 0, fmt.Errorf("repeat %d < 1", repeat)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return 0, err
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	n, err := countLines(bytes.NewReader(data))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", src, err)
	}
	f, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for range repeat {
		if _, err := w.Write(data); err != nil {
			f.Close()
			return 0, err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	return n * repeat, nil
}
