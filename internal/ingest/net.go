package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"time"
)

// Network I/O deadlines are set on the wall clock (time.Now), as the net
// package requires; everything the pipeline decides uses the configured
// Clock.

const (
	readBufSize   = 32 << 10 // per TCP connection
	udpBufSize    = 64 << 10 // the largest datagram
	udpFlushDelay = time.Millisecond
	acceptRetry   = 100 * time.Millisecond
)

// sleepCtx waits for d or until ctx is done, and reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Source) keepAlive() net.KeepAliveConfig {
	if s.cfg.KeepAlive < 0 {
		return net.KeepAliveConfig{Enable: false}
	}
	return net.KeepAliveConfig{Enable: true, Idle: s.cfg.KeepAlive, Interval: s.cfg.KeepAlive, Count: 3}
}

// readStream reads r through a fresh framer until r fails or ends, handing
// a block to the pipeline after every read. When conn is set, a read that
// waits longer than idle (> 0) fails. It returns the bytes read and the
// error that ended it (io.EOF at the end).
func (s *Source) readStream(ctx context.Context, r io.Reader, conn net.Conn, idle time.Duration) (uint64, error) {
	f := s.newFramer(func(b *block) { s.deliver(ctx, b) })
	defer f.release()
	buf := make([]byte, readBufSize)
	var total uint64
	for {
		if conn != nil && idle > 0 {
			_ = conn.SetReadDeadline(time.Now().Add(idle))
		}
		n, err := r.Read(buf)
		if n > 0 {
			total += uint64(n)
			s.c.bytes.Add(uint64(n))
			f.setArrival(s.p.cfg.Clock())
			_ = f.feed(buf[:n])
			f.flush()
		}
		if err != nil {
			f.finish()
			f.flush()
			if errors.Is(err, os.ErrDeadlineExceeded) {
				err = fmt.Errorf("no data for %v: %w", idle, err)
			}
			return total, err
		}
	}
}

// runTCPClient dials the feed and reads it, reconnecting after failures
// with exponential backoff and jitter, until ctx is done.
func (s *Source) runTCPClient(ctx context.Context) error {
	d := net.Dialer{Timeout: s.cfg.DialTimeout, KeepAliveConfig: s.keepAlive()}
	if s.cfg.KeepAlive < 0 {
		d.KeepAlive = -1
	}
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	backoff := s.cfg.BackoffMin
	log := s.p.cfg.Logger.With("source", s.cfg.Name)
	s.markReady()
	for {
		conn, err := d.DialContext(ctx, "tcp", s.cfg.Address)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.noteErr(err)
		} else {
			s.c.conns.Add(1)
			s.c.connsTotal.Add(1)
			s.c.connected.Store(true)
			log.Info("connected", "address", s.cfg.Address)
			stop := context.AfterFunc(ctx, func() { conn.Close() })
			n, rerr := s.readStream(ctx, conn, conn, s.cfg.IdleTimeout)
			stop()
			conn.Close()
			s.c.connected.Store(false)
			s.c.conns.Add(-1)
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(rerr, io.EOF) {
				rerr = errors.New("connection closed by peer")
			}
			s.noteErr(rerr)
			if n > 0 {
				backoff = s.cfg.BackoffMin
			}
		}
		wait := backoff/2 + time.Duration(rng.Int64N(int64(backoff/2)+1))
		log.Info("reconnecting", "after", wait, "error", s.Health().LastError)
		if !sleepCtx(ctx, wait) {
			return nil
		}
		backoff = min(2*backoff, s.cfg.BackoffMax)
	}
}

// runTCPServer accepts receivers' connections and reads each in its own
// goroutine with its own framing state, until ctx is done; then it closes
// the listener and every connection.
func (s *Source) runTCPServer(ctx context.Context) error {
	lc := net.ListenConfig{KeepAliveConfig: s.keepAlive()}
	if s.cfg.KeepAlive < 0 {
		lc.KeepAlive = -1
	}
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Address)
	if err != nil {
		return err
	}
	s.setAddr(ln.Addr())
	s.markReady()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	defer ln.Close()
	log := s.p.cfg.Logger.With("source", s.cfg.Name)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.noteErr(err) // out of file descriptors and the like
			if !sleepCtx(ctx, acceptRetry) {
				return nil
			}
			continue
		}
		if s.c.conns.Load() >= int64(s.cfg.MaxConns) {
			s.c.connsRefused.Add(1)
			conn.Close()
			continue
		}
		s.c.conns.Add(1)
		s.c.connsTotal.Add(1)
		s.c.connected.Store(true)
		wg.Go(func() {
			peer := conn.RemoteAddr().String()
			log.Debug("receiver connected", "peer", peer)
			stop := context.AfterFunc(ctx, func() { conn.Close() })
			_, err := s.readStream(ctx, conn, conn, s.cfg.IdleTimeout)
			stop()
			conn.Close()
			if s.c.conns.Add(-1) == 0 {
				s.c.connected.Store(false)
			}
			if ctx.Err() == nil && !errors.Is(err, io.EOF) {
				s.noteErr(fmt.Errorf("%s: %w", peer, err))
			}
			log.Debug("receiver disconnected", "peer", peer, "error", err)
		})
	}
}

// runUDP reads datagrams of one or more lines until ctx is done. One
// framer serves every sender. A block is handed on when it is full, or
// 1 ms after the first datagram that followed the last hand-over.
func (s *Source) runUDP(ctx context.Context) error {
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", s.cfg.Address)
	if err != nil {
		return err
	}
	conn := pc.(*net.UDPConn)
	defer conn.Close()
	_ = conn.SetReadBuffer(s.cfg.ReadBuffer) // best effort: the kernel caps it
	s.setAddr(conn.LocalAddr())
	s.c.connected.Store(true)
	defer s.c.connected.Store(false)
	s.markReady()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	f := s.newFramer(func(b *block) { s.deliver(ctx, b) })
	defer f.release()
	buf := make([]byte, udpBufSize)
	armed := false // a flush deadline is set
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			s.c.bytes.Add(uint64(n))
			f.setArrival(s.p.cfg.Clock())
			_ = f.feed(buf[:n])
			f.endLine() // a datagram ends its last line
			if !armed {
				_ = conn.SetReadDeadline(time.Now().Add(udpFlushDelay))
				armed = true
			}
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				f.flush()
				_ = conn.SetReadDeadline(time.Time{})
				armed = false
				continue
			}
			f.flush()
			if ctx.Err() != nil {
				return nil
			}
			s.noteErr(err)
			if !sleepCtx(ctx, acceptRetry) {
				return nil
			}
		}
	}
}

// runGenerator reads what cfg.Generate writes until it returns or ctx is
// done.
func (s *Source) runGenerator(ctx context.Context) error {
	pr, pw := io.Pipe()
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var gerr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		gerr = s.cfg.Generate(gctx, pw)
		if gerr != nil {
			pw.CloseWithError(gerr)
		} else {
			pw.Close()
		}
	}()
	stop := context.AfterFunc(ctx, func() { pr.CloseWithError(context.Canceled) })
	defer stop()
	s.c.connected.Store(true)
	s.markReady()
	_, err := s.readStream(ctx, pr, nil, 0)
	s.c.connected.Store(false)
	cancel()
	pr.CloseWithError(io.ErrClosedPipe) // unblocks a generator still writing
	<-done
	if ctx.Err() != nil {
		return nil
	}
	if gerr != nil {
		return fmt.Errorf("generator: %w", gerr)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}
