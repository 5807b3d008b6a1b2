package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// webSourceHash computes what web/build.mjs records in SOURCE_HASH:
// SHA-256 over build.mjs, package.json, package-lock.json and every file
// under src/, sorted by path, each as path, NUL, length, NUL, content.
func webSourceHash(t *testing.T, web string) string {
	t.Helper()
	files := []string{"build.mjs", "package.json", "package-lock.json"}
	err := filepath.WalkDir(filepath.Join(web, "src"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(web, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(web, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(f + "\x00" + strconv.Itoa(len(b)) + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestBundleIsFresh(t *testing.T) {
	got, want := SourceHash(), webSourceHash(t, filepath.Join("..", "..", "web"))
	if got != want {
		t.Fatalf("internal/ui/dist was built from other sources than web/ holds (SOURCE_HASH %s, web/ hashes to %s): rebuild with\n\tcd web && npm ci && npm run build", got, want)
	}
}

func TestHandler(t *testing.T) {
	h := Handler()
	for _, tc := range []struct {
		path, wantType string
		wantStatus     int
	}{
		{"/", "text/html; charset=utf-8", 200},
		{"/ui/app.js", "text/javascript; charset=utf-8", 200},
		{"/ui/maplibre-gl-worker.mjs", "text/javascript; charset=utf-8", 200},
		{"/ui/app.css", "text/css; charset=utf-8", 200},
		{"/ui/land.bin", "application/octet-stream", 200},
		{"/ui/SOURCE_HASH", "", 404},
		{"/ui/", "", 404},
		{"/ui/../ui.go", "", 404},
		{"/ui/nope.js", "", 404},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		if rec.Code != tc.wantStatus {
			t.Errorf("GET %s: status %d, want %d", tc.path, rec.Code, tc.wantStatus)
			continue
		}
		if tc.wantStatus == 200 && rec.Header().Get("Content-Type") != tc.wantType {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, rec.Header().Get("Content-Type"), tc.wantType)
		}
	}
	for _, tc := range []struct {
		accept string
		gzip   bool
	}{
		{"", false},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"identity", false},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/ui/app.js", nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		h.ServeHTTP(rec, req)
		body := rec.Body.Bytes()
		if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tc.gzip {
			t.Errorf("Accept-Encoding %q: gzipped %v, want %v", tc.accept, got, tc.gzip)
		}
		if tc.gzip {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		want, _ := fs.ReadFile(Files(), "app.js")
		if !bytes.Equal(body, want) {
			t.Errorf("Accept-Encoding %q: body of %d bytes is not app.js (%d)", tc.accept, len(body), len(want))
		}
	}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/ui/app.js", nil)
	req.Header.Set("If-None-Match", `"`+SourceHash()+`"`)
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("GET /ui/app.js with its ETag: status %d, want 304", rec.Code)
	}
}

// TestNoOtherHosts checks the page and bundle name no other host to load
// from: the map must work air-gapped. The browser test checks the
// requests themselves.
func TestNoOtherHosts(t *testing.T) {
	b, err := fs.ReadFile(Files(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"http://", "https://", "//"} {
		if i := strings.Index(string(b), s); i >= 0 && !strings.HasPrefix(string(b[i:]), "//ui") {
			t.Errorf("index.html refers to %q at %d", s, i)
		}
	}
}
