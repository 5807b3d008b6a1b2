package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"straitwatch/internal/config"
	"straitwatch/internal/server"
)

// runServe starts the server: configuration from a file (or the embedded
// defaults), flags over it.
func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "YAML configuration `file`; without one, the defaults and the demo feed")
	addr := fs.String("addr", "", "HTTP listen `address`, overriding the file (default 127.0.0.1:8080)")
	data := fs.String("data", "", "data `directory`, overriding the file (default ./straitwatch-data)")
	demo := fs.String("demo", "", "demo feed of the default region: on or off, overriding the file (default on when no sources)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: straitwatch serve [flags]\n\nIngests the configured feeds, keeps the live picture and serves the API.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	cfg := config.Default()
	if *path != "" {
		var err error
		if cfg, err = config.Load(*path); err != nil {
			return err
		}
	}
	if *addr != "" {
		cfg.HTTP.Addr = *addr
	}
	if *data != "" {
		cfg.DataDir = *data
	}
	switch *demo {
	case "":
	case "on", "off":
		on := *demo == "on"
		cfg.Demo = &on
	default:
		return fmt.Errorf("-demo %q: want on or off", *demo)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	srv, err := server.New(cfg, log, time.Now)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "straitwatch serving http://%s/ (data in %s, demo feed %s); Ctrl-C stops\n", srv.Addr(), cfg.DataDir, onOff(*cfg.Demo))
	for _, s := range srv.Pipeline().Sources() {
		if a := s.Addr(); a != nil {
			fmt.Fprintf(stdout, "source %s (%s) listening on %s\n", s.Name(), s.Config().Kind, a)
		}
	}
	err = srv.Run(ctx)
	fmt.Fprintln(stdout, "straitwatch stopped")
	return err
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
