// Package ui holds straitwatch's web map, the common operational picture,
// built from web/ by esbuild and embedded in the binary, so that the map
// works with no npm and no internet: everything it loads (script, MapLibre
// worker, styles, the region's land) comes from the server itself.
//
// Handler serves the page at "/" and its files under "/ui/". The test in
// this package fails when dist/ is stale against the sources in web/;
// rebuild with
//
//	cd web && npm ci && npm run build
package ui

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

//go:embed dist
var dist embed.FS

// Files returns the built bundle: index.html, app.js, app.css,
// maplibre-gl-worker.mjs, stream-worker.js, land.bin and SOURCE_HASH.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded: cannot happen
	}
	return sub
}

// SourceHash returns the hash of the web/ sources the bundle was built
// from, as recorded by web/build.mjs.
func SourceHash() string {
	b, _ := fs.ReadFile(Files(), "SOURCE_HASH")
	return strings.TrimSpace(string(b))
}

// contentTypes are the types of the bundle's files by extension.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".bin":  "application/octet-stream",
}

// gzipped holds the bundle's files gzipped, made on first use: the
// script is 1.1 MB, 0.3 MB gzipped, which matters on a slow link.
var gzipped = sync.OnceValue(func() map[string][]byte {
	out := map[string][]byte{}
	files := Files()
	entries, _ := fs.ReadDir(files, ".")
	for _, e := range entries {
		b, err := fs.ReadFile(files, e.Name())
		if err != nil || len(b) < 1024 {
			continue
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		out[e.Name()] = buf.Bytes()
	}
	return out
})

// Handler serves the map: GET / is the page and GET /ui/{file} its files,
// gzipped for clients that accept it. Other paths are not its business;
// mount it on "GET /{$}" and "GET /ui/".
func Handler() http.Handler {
	files := Files()
	etag := `"` + SourceHash() + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := "index.html"
		if r.URL.Path != "/" {
			name = strings.TrimPrefix(r.URL.Path, "/ui/")
			if name == r.URL.Path || name == "" || strings.Contains(name, "/") || name == "SOURCE_HASH" {
				http.NotFound(w, r)
				return
			}
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		if ct, ok := contentTypes[path.Ext(name)]; ok {
			h.Set("Content-Type", ct)
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Vary", "Accept-Encoding")
		// Revalidate every time: a new binary brings a new bundle.
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", etag)
		if name == "index.html" {
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'")
		}
		if match := r.Header.Get("If-None-Match"); match == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if z, ok := gzipped()[name]; ok && acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			b = z
		}
		_, _ = w.Write(b)
	})
}

// acceptsGzip reports whether the request's Accept-Encoding lists gzip
// with a non-zero quality.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			q = strings.ReplaceAll(strings.TrimSpace(q), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
