package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"straitwatch/internal/ingest"
	"straitwatch/internal/store"
	"straitwatch/internal/track"
)

// runImport loads archives (NMEA files or CSV exports) into the store, with
// a progress bar, through the same pipeline as serve.
func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "straitwatch-data", "data `directory` of the store (serve's data_dir)")
	kind := fs.String("kind", "auto", "archive kind: csv (NOAA Marine Cadastre or Danish Maritime Authority), nmea, or auto (by extension)")
	progress := fs.String("progress", "auto", "progress bar on standard error: auto (when a terminal), on or off")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: straitwatch import [flags] PATH...

Loads archives into the store: NMEA logs (.nmea, .gz, directories of them) or
CSV exports in the NOAA Marine Cadastre or Danish Maritime Authority layouts
(.csv, .csv.gz, .zip). Messages keep their archive times. Stop the server
that uses the data directory first: a store has one writer.

flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	var sources []ingest.SourceConfig
	for i, p := range fs.Args() {
		k := *kind
		if k == "auto" {
			k = "nmea"
			if strings.Contains(strings.ToLower(filepath.Base(p)), ".csv") || strings.HasSuffix(strings.ToLower(p), ".zip") {
				k = "csv"
			}
		}
		sc := ingest.SourceConfig{ID: track.SourceID(i + 1), Name: filepath.Base(p), Path: p, Overload: ingest.OverloadBlock}
		switch k {
		case "csv":
			sc.Kind = ingest.KindCSV
		case "nmea":
			sc.Kind = ingest.KindFile
		default:
			return fmt.Errorf("-kind %q: want csv, nmea or auto", *kind)
		}
		if _, err := os.Stat(p); err != nil {
			return err
		}
		sources = append(sources, sc)
	}

	db, err := store.Open(*data, store.Options{})
	if err != nil {
		return err
	}
	var fixes, statics uint64
	sink := ingest.SinkFunc(func(ctx context.Context, b *ingest.Batch) error {
		if err := db.AppendFixes(b.Fixes); err != nil {
			return err
		}
		for _, st := range b.Statics {
			if err := db.PutStatic(st); err != nil {
				return err
			}
		}
		fixes += uint64(len(b.Fixes))
		statics += uint64(len(b.Statics))
		return nil
	})
	p, err := ingest.NewPipeline(ingest.PipelineConfig{}, sources, sink)
	if err != nil {
		db.Close()
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	show := *progress == "on" || *progress == "auto" && isTerminal(stderr)
	start := time.Now()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	var runErr error
wait:
	for {
		select {
		case runErr = <-done:
			break wait
		case <-tick.C:
			var read, size int64
			finished := true
			for _, h := range p.Health() {
				read += int64(h.Bytes)
				size += h.SizeBytes
				if h.Running || h.Delivered+h.Shed+h.Duplicates < h.Messages {
					finished = false
				}
			}
			if show {
				fmt.Fprint(stderr, "\r\033[K"+progressLine(read, size, time.Since(start)))
			}
			if finished {
				stop() // every source has ended and been drained
			}
		}
	}
	if show {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err := db.Close(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		return runErr
	}
	for _, h := range p.Health() {
		fmt.Fprintf(stderr, "%s: %d lines, %d messages, %d duplicates, %d rejected %v\n", h.Name, h.Lines, h.Messages, h.Duplicates, h.RejectsTotal, h.Rejects)
	}
	fmt.Fprintf(stderr, "imported %d fixes and %d static records into %s in %.1f s\n", fixes, statics, *data, time.Since(start).Seconds())
	return ctx.Err()
}

// runExport writes stored fixes as CSV or Parquet.
func runExport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "straitwatch-data", "data `directory` of the store")
	format := fs.String("format", "csv", "csv or parquet")
	from := fs.String("from", "", "start `time`, RFC 3339 (default: 24 hours before -to)")
	to := fs.String("to", "", "end `time`, RFC 3339, exclusive (default: now)")
	out := fs.String("o", "-", "output `file`; - is standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: straitwatch export [flags]\n\nWrites the stored fixes of a time range for analysts.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	end := time.Now()
	if *to != "" {
		t, err := time.Parse(time.RFC3339, *to)
		if err != nil {
			return fmt.Errorf("-to: %w", err)
		}
		end = t
	}
	begin := end.Add(-24 * time.Hour)
	if *from != "" {
		t, err := time.Parse(time.RFC3339, *from)
		if err != nil {
			return fmt.Errorf("-from: %w", err)
		}
		begin = t
	}
	if !begin.Before(end) {
		return fmt.Errorf("-from %s is not before -to %s", begin.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	db, err := store.Open(*data, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return db.ExportFixes(ctx, w, *format, begin.UnixMilli(), end.UnixMilli())
}
