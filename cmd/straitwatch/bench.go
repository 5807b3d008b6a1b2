package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"straitwatch/internal/peerbench"
)

// runBench measures straitwatch's decoder and every peer decoder installed
// here on one corpus, each as a child process timed the same way, and
// prints a markdown report with the ratios.
func runBench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	corpus := fs.String("corpus", "ais/testdata/bench/corpus.nmea", "NMEA `file` to repeat into the benchmark corpus")
	repeat := fs.Int("repeat", 41, "times to repeat the corpus (41 x 24,784 = 1,016,144 sentences)")
	runs := fs.Int("runs", 3, "runs of each decoder; the best and the median are reported")
	peersDir := fs.String("peers", "bench/peers", "`directory` of the peer drivers (see bench/peers/install.sh)")
	only := fs.String("only", "", "comma-separated peer names to run (default all)")
	messages := fs.Int("messages", 2_000_000, "ingest: position reports to replay")
	vessels := fs.Int("vessels", 100_000, "ingest: distinct MMSIs among them")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to `file`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: straitwatch bench [flags] decode|ingest

decode: straitwatch's decoder and every peer decoder installed here
        (bench/peers/install.sh) on one corpus, side by side.
ingest: the serve path (file replay, decode, de-duplication, tracker,
        store) against decoding alone, with many distinct vessels.

flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if fs.NArg() == 1 && fs.Arg(0) == "ingest" {
		return benchIngest(ctx, stdout, stderr, *messages, *vessels)
	}
	if fs.NArg() != 1 || fs.Arg(0) != "decode" {
		fs.Usage()
		return errUsage
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "straitwatch-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	big := filepath.Join(tmp, "corpus.nmea")
	n, err := peerbench.MakeCorpus(big, *corpus, *repeat)
	if err != nil {
		return err
	}

	ours := func(mode string, out peerbench.Output, args ...string) peerbench.Peer {
		return peerbench.Peer{Name: "straitwatch", Version: "this build", Mode: mode, Output: out,
			Cmd: func(ctx context.Context, corpus string) *exec.Cmd {
				return exec.CommandContext(ctx, self, append(append([]string{"decode", "-q", "-progress=off"}, args...), corpus)...)
			}}
	}
	peers := []peerbench.Peer{
		ours("-j (scaled JSON)", peerbench.CountLines),
		ours("-u -j (unscaled JSON)", peerbench.CountLines, "-u"),
		ours("decode only", peerbench.SummaryLine, "-format=count"),
	}
	dir, err := filepath.Abs(*peersDir)
	if err != nil {
		return err
	}
	others, skipped := peerbench.Available(dir)
	peers = append(peers, others...)
	if *only != "" {
		var keep []peerbench.Peer
		for _, p := range peers {
			if p.Name == "straitwatch" || strings.Contains(","+*only+",", ","+p.Name+",") {
				keep = append(keep, p)
			}
		}
		peers = keep
	}

	fmt.Fprintf(stderr, "corpus: %s x %d = %d sentences\n", *corpus, *repeat, n)
	var sums []peerbench.Summary
	for _, p := range peers {
		var rs []peerbench.Result
		for i := range *runs {
			fmt.Fprintf(stderr, "%s run %d/%d\n", p.Label(), i+1, *runs)
			r, err := peerbench.Run(ctx, p, big)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Label(), err)
			}
			rs = append(rs, r)
		}
		s, err := peerbench.Summarize(rs)
		if err != nil {
			return err
		}
		sums = append(sums, s)
	}

	fmt.Fprintf(stdout, "# Decode benchmark, %s\n\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(stdout, "Corpus: `%s` repeated %d times = %d sentences. Each decoder runs as a child process reading the file, %d runs; rates use the best run. One process, one core each.\n\n", *corpus, *repeat, n, *runs)
	fmt.Fprintln(stdout, "| decoder | version | mode | messages | best wall s | sentences/s (wall) | sentences per CPU-s | max RSS MiB |")
	fmt.Fprintln(stdout, "|---|---|---|---:|---:|---:|---:|---:|")
	for i, s := range sums {
		fmt.Fprintf(stdout, "| %s | %s | %s | %d | %.2f | %.0f | %.0f | %.0f |\n", peers[i].Name, peers[i].Version, peers[i].Mode,
			s.Messages, s.BestWall.Seconds(), s.BestSentencesPerSec(), s.BestSentencesPerCPUSec(), float64(s.MaxRSS)/(1<<20))
	}
	// Ratios: like against like (JSON against JSON, decode-only against
	// decode-only), per CPU-second.
	ref := map[string]peerbench.Summary{}
	for i, s := range sums {
		if peers[i].Name == "straitwatch" {
			ref[peers[i].Mode] = s
		}
	}
	fmt.Fprintln(stdout, "\n| straitwatch | against | ratio (sentences per CPU-s) |\n|---|---|---:|")
	for i, s := range sums {
		if peers[i].Name == "straitwatch" {
			continue
		}
		mode := "decode only"
		switch {
		case strings.HasPrefix(peers[i].Mode, "-u -j"):
			mode = "-u -j (unscaled JSON)"
		case strings.HasPrefix(peers[i].Mode, "-j"):
			mode = "-j (scaled JSON)"
		}
		r := ref[mode]
		fmt.Fprintf(stdout, "| %s | %s %s | %.2fx |\n", mode, peers[i].Name, peers[i].Mode, r.BestSentencesPerCPUSec()/s.BestSentencesPerCPUSec())
	}
	for _, s := range skipped {
		fmt.Fprintf(stdout, "\nNot run: %s: %s\n", s.Name, s.Reason)
	}
	return nil
}
