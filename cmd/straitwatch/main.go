// Command straitwatch is the straitwatch maritime picture: one binary with
// subcommands. Run "straitwatch help" for the list.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

var commands = []command{
	{"serve", "ingest feeds, keep the live picture, serve the API", runServe},
	{"import", "load NMEA logs or CSV archives (NOAA, DMA) into the store", runImport},
	{"export", "write stored fixes as CSV or Parquet", runExport},
	{"replay", "replay NMEA through the detectors and print the events", runReplay},
	{"decode", "decode AIS NMEA to gpsd-style JSON or CSV", runDecode},
	{"bench", "measure decode speed side by side with peer decoders", runBench},
	{"simulate", "play a scenario as AIS into a file, TCP or UDP", runSimulate},
	{"score", "score detected events against a scenario's ground truth", runScore},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches args to a subcommand and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			if err := c.run(ctx, args[1:], stdin, stdout, stderr); err != nil {
				if err == errUsage {
					return 2
				}
				fmt.Fprintf(stderr, "straitwatch %s: %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "straitwatch: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: straitwatch <command> [arguments]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"straitwatch <command> -h\" for a command's flags.")
}
