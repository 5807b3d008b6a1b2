package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Timeouts are the limits of an HTTP server that faces untrusted
// clients. Live streams lift the read deadline and set their own write
// deadline per event (Config.StreamWriteTimeout), so these do not end them.
type Timeouts struct {
	// ReadHeader bounds reading a request's headers; it stops clients that
	// open connections and send slowly. The default value is 5 seconds.
	ReadHeader time.Duration
	// Read bounds reading a whole request. The default value is 15
	// seconds.
	Read time.Duration
	// Write bounds writing a response. The default value is 30 seconds.
	Write time.Duration
	// Idle bounds how long a keep-alive connection waits for its next
	// request. The default value is 120 seconds.
	Idle time.Duration
	// Shutdown bounds a graceful shutdown: how long Run waits for
	// requests in flight before it closes their connections. The default
	// value is 10 seconds.
	Shutdown time.Duration
	// MaxHeaderBytes bounds the request line and headers. The default
	// value is 16 KiB.
	MaxHeaderBytes int
}

// RecommendedTimeouts returns the timeouts recommended for a server
// facing untrusted clients: the defaults of every Timeouts field.
func RecommendedTimeouts() Timeouts {
	return Timeouts{
		ReadHeader:     5 * time.Second,
		Read:           15 * time.Second,
		Write:          30 * time.Second,
		Idle:           120 * time.Second,
		Shutdown:       10 * time.Second,
		MaxHeaderBytes: 16 << 10,
	}
}

// withDefaults returns t with zero fields set to the recommended values.
func (t Timeouts) withDefaults() Timeouts {
	r := RecommendedTimeouts()
	set := func(p *time.Duration, v time.Duration) {
		if *p <= 0 {
			*p = v
		}
	}
	set(&t.ReadHeader, r.ReadHeader)
	set(&t.Read, r.Read)
	set(&t.Write, r.Write)
	set(&t.Idle, r.Idle)
	set(&t.Shutdown, r.Shutdown)
	if t.MaxHeaderBytes <= 0 {
		t.MaxHeaderBytes = r.MaxHeaderBytes
	}
	return t
}

// Server serves a handler over HTTP with the given timeouts until its
// context ends, then shuts down gracefully.
type Server struct {
	srv      *http.Server
	shutdown time.Duration
	log      *slog.Logger
}

// NewServer returns a server for h on addr (such as ":8080") with
// timeouts t (zero fields take their recommended values). Server errors
// are logged to log; nil discards them.
func NewServer(addr string, h http.Handler, t Timeouts, log *slog.Logger) *Server {
	t = t.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{
		srv: &http.Server{
			Addr:              addr,
			Handler:           h,
			ReadHeaderTimeout: t.ReadHeader,
			ReadTimeout:       t.Read,
			WriteTimeout:      t.Write,
			IdleTimeout:       t.Idle,
			MaxHeaderBytes:    t.MaxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		shutdown: t.Shutdown,
		log:      log,
	}
}

// HTTP returns the underlying *http.Server, for callers that want to run
// it themselves. If they do, they should set its BaseContext so that live
// streams end with their context.
func (s *Server) HTTP() *http.Server { return s.srv }

// Run serves on ln (or, when ln is nil, listens on the server's address)
// until ctx ends. Every request's context derives from ctx, so live
// streams end when it does; Run then waits up to the shutdown timeout for
// requests in flight, closes what remains and returns. It returns nil
// after a shutdown caused by ctx, and the serving error otherwise.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", s.srv.Addr)
		if err != nil {
			return fmt.Errorf("api: %w", err)
		}
	}
	s.srv.BaseContext = func(net.Listener) context.Context { return ctx }
	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("api: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.shutdown)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	if err != nil {
		s.log.Warn("api: graceful shutdown incomplete; closing connections", "err", err)
		err = s.srv.Close()
	}
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("api: %w", serr)
	}
	if err != nil {
		return fmt.Errorf("api: shutdown: %w", err)
	}
	return nil
}
