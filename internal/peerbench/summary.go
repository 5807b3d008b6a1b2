package peerbench

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Summary gathers repeated runs of one peer on one corpus.
type Summary struct {
	// Peer is the label of the peer that ran.
	Peer string
	// Runs is the number of runs summarized.
	Runs int
	// Sentences, Messages and Errors are as in Result; they are the same
	// in every run.
	Sentences, Messages, Errors int
	// BestWall and MedianWall are the least and the median wall times.
	BestWall, MedianWall time.Duration
	// BestCPU and MedianCPU are the least and the median CPU times.
	BestCPU, MedianCPU time.Duration
	// MaxRSS is the largest peak resident set size seen, in bytes.
	MaxRSS int64
}

// Summarize returns the best and median times of runs of one peer. It fails
// when there are no runs or when the runs disagree on what they counted.
func Summarize(runs []Result) (Summary, error) {
	if len(runs) == 0 {
		return Summary{}, fmt.Errorf("no runs to summarize")
	}
	first := runs[0]
	s := Summary{Peer: first.Peer, Runs: len(runs), Sentences: first.Sentences,
		Messages: first.Messages, Errors: first.Errors}
	var walls, cpus []time.Duration
	for _, r := range runs {
		if r.Peer != first.Peer || r.Sentences != first.Sentences ||
			r.Messages != first.Messages || r.Errors != first.Errors {
			return Summary{}, fmt.Errorf("runs disagree: %+v vs %+v", first, r)
		}
		walls = append(walls, r.Wall)
		cpus = append(cpus, r.CPU)
		s.MaxRSS = max(s.MaxRSS, r.MaxRSS)
	}
	s.BestWall, s.MedianWall = bestMedian(walls)
	s.BestCPU, s.MedianCPU = bestMedian(cpus)
	return s, nil
}

func bestMedian(ds []time.Duration) (best, median time.Duration) {
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[0], ds[n/2]
	}
	return ds[0], (ds[n/2-1] + ds[n/2]) / 2
}

// BestSentencesPerSec returns the sentences per wall-clock second of the
// fastest run.
func (s Summary) BestSentencesPerSec() float64 { return perSec(s.Sentences, s.BestWall) }

// MedianSentencesPerSec returns the sentences per wall-clock second of the
// median run.
func (s Summary) MedianSentencesPerSec() float64 { return perSec(s.Sentences, s.MedianWall) }

// BestSentencesPerCPUSec returns the sentences per CPU-second of the run
// that used the least CPU.
func (s Summary) BestSentencesPerCPUSec() float64 { return perSec(s.Sentences, s.BestCPU) }

// WriteTable writes summaries as an aligned text table, one peer per row.
func WriteTable(w io.Writer, sums []Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "peer\truns\tsentences\tmessages\terrors\twall best\twall median\tCPU best\tCPU median\tsent/s best\tsent/s median\tsent/CPU-s best\tmax RSS MiB\t")
	for _, s := range sums {
		errs := "-"
		if s.Errors >= 0 {
			errs = fmt.Sprint(s.Errors)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%.2fs\t%.2fs\t%.2fs\t%.2fs\t%.0f\t%.0f\t%.0f\t%.0f\t\n",
			s.Peer, s.Runs, s.Sentences, s.Messages, errs,
			s.BestWall.Seconds(), s.MedianWall.Seconds(), s.BestCPU.Seconds(), s.MedianCPU.Seconds(),
			s.BestSentencesPerSec(), s.MedianSentencesPerSec(), s.BestSentencesPerCPUSec(),
			float64(s.MaxRSS)/(1<<20))
	}
	return tw.Flush()
}
