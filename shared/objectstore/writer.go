package objectstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DefaultChunkSize is Writer.ChunkSize unless changed (the library's).
const DefaultChunkSize = 16 << 20

// chunkGranularity: every chunk of a session but the last is a multiple
// of it (Cloud Storage's rule).
const chunkGranularity = 256 << 10

// Writer creates one object that must not exist yet, streaming what is
// written in chunks: memory is one chunk whatever the object's size.
// Nothing is created unless Close succeeds; after an error, or once ctx is
// done, Close creates nothing (a started session is left to expire).
type Writer struct {
	// ChunkSize is what the Writer buffers: an object that fits is sent
	// in one request, a larger one through a resumable session, one chunk
	// per request. A multiple of 256 KiB; set before the first Write.
	ChunkSize int
	// ContentType and ContentDisposition are the object's metadata.
	ContentType        string
	ContentDisposition string

	ctx     context.Context
	b       *Bucket
	object  string
	buf     []byte
	n       int    // bytes in buf
	off     int64  // bytes sent in earlier chunks
	session string // the resumable session's URI, once started
	crc     uint32
	err     error
	attrs   ObjectAttrs
}

// ObjectAttrs is what a create returns.
type ObjectAttrs struct {
	Generation int64
	Size       int64
}

// NewWriter returns a Writer that creates object in b, only if it does
// not exist yet (otherwise Close fails with ErrPrecondition).
func (b *Bucket) NewWriter(ctx context.Context, object string) *Writer {
	return &Writer{ChunkSize: DefaultChunkSize, ctx: ctx, b: b, object: object}
}

// Write buffers p, sending each full chunk once more follows it.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if err := w.ctx.Err(); err != nil {
		w.err = err
		return 0, err
	}
	if w.buf == nil {
		if w.ChunkSize <= 0 || w.ChunkSize%chunkGranularity != 0 {
			w.err = fmt.Errorf("objectstore: chunk size %d is not a positive multiple of 256 KiB", w.ChunkSize)
			return 0, w.err
		}
		w.buf = make([]byte, w.ChunkSize)
	}
	written := 0
	for len(p) > 0 {
		if w.n == len(w.buf) {
			// Only now is this chunk known not to be the last.
			if err := w.send(false); err != nil {
				w.err = err
				return written, err
			}
		}
		k := copy(w.buf[w.n:], p)
		w.crc = crc32.Update(w.crc, castagnoli, p[:k])
		w.n += k
		p = p[k:]
		written += k
	}
	return written, nil
}

// Close sends what is buffered and creates the object.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if err := w.ctx.Err(); err != nil {
		w.err = err
		return err
	}
	var err error
	if w.session == "" {
		err = w.single()
	} else {
		err = w.send(true)
	}
	if err != nil {
		w.err = err
	}
	return err
}

// Attrs are the created object's, after a successful Close.
func (w *Writer) Attrs() ObjectAttrs { return w.attrs }

// metadata is the object resource sent with a create.
func (w *Writer) metadata(crc bool) []byte {
	m := map[string]string{"bucket": w.b.name, "name": w.object, "contentType": w.contentType()}
	if w.ContentDisposition != "" {
		m["contentDisposition"] = w.ContentDisposition
	}
	if crc {
		m["crc32c"] = encodeCRC(w.crc)
	}
	b, _ := json.Marshal(m)
	return b
}

func (w *Writer) contentType() string {
	if w.ContentType == "" {
		return "application/octet-stream"
	}
	return w.ContentType
}

// uploadURL is the JSON API's upload endpoint with a "must not exist"
// precondition.
func (w *Writer) uploadURL(uploadType string) string {
	q := url.Values{
		"uploadType":        {uploadType},
		"name":              {w.object},
		"ifGenerationMatch": {"0"},
		"alt":               {"json"},
		"prettyPrint":       {"false"},
		"projection":        {"full"},
	}
	return w.b.c.base + "/upload/storage/v1/b/" + url.PathEscape(w.b.name) + "/o?" + q.Encode()
}

// single creates the object in one multipart request (metadata, media).
func (w *Writer) single() error {
	var rb [16]byte
	_, _ = rand.Read(rb[:])
	boundary := hex.EncodeToString(rb[:])
	head := "--" + boundary + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n" + string(w.metadata(true)) +
		"\r\n--" + boundary + "\r\nContent-Type: " + w.contentType() + "\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	media := w.buf[:w.n]
	res, err := w.b.c.do(w.ctx, "upload", func() (*http.Request, error) {
		body := io.MultiReader(strings.NewReader(head), bytes.NewReader(media), strings.NewReader(tail))
		req, err := http.NewRequestWithContext(w.ctx, http.MethodPost, w.uploadURL("multipart"), body)
		if err != nil {
			return nil, err
		}
		req.ContentLength = int64(len(head) + len(media) + len(tail))
		req.Header.Set("Content-Type", "multipart/related; boundary="+boundary)
		return req, nil
	})
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return w.created(res.Body)
}

// start opens a resumable session.
func (w *Writer) start() error {
	meta := w.metadata(false)
	res, err := w.b.c.do(w.ctx, "upload", func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(w.ctx, http.MethodPost, w.uploadURL("resumable"), bytes.NewReader(meta))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		req.Header.Set("X-Upload-Content-Type", w.contentType())
		return req, nil
	})
	if err != nil {
		return err
	}
	drain(res)
	w.session = res.Header.Get("Location")
	if w.session == "" {
		return errors.New("objectstore: resumable upload started without a session URI")
	}
	return nil
}

// send sends the buffered chunk through the session (opening it first if
// needed); the last one carries the object's size and CRC32C.
func (w *Writer) send(final bool) error {
	if w.session == "" {
		if err := w.start(); err != nil {
			return err
		}
	}
	chunk := w.buf[:w.n]
	var cr string
	switch end := w.off + int64(w.n); {
	case !final:
		cr = fmt.Sprintf("bytes %d-%d/*", w.off, end-1)
	case w.n == 0:
		cr = fmt.Sprintf("bytes */%d", end)
	default:
		cr = fmt.Sprintf("bytes %d-%d/%d", w.off, end-1, end)
	}
	res, err := retry(w.ctx, func() (*http.Response, error) {
		req, err := http.NewRequestWithContext(w.ctx, http.MethodPost, w.session, bytes.NewReader(chunk))
		if err != nil {
			return nil, err
		}
		req.ContentLength = int64(len(chunk))
		req.Header.Set("Content-Range", cr)
		req.Header.Set("Content-Type", w.contentType())
		// Answer "incomplete" with 200 and an override header, not 308.
		req.Header.Set("X-GUploader-No-308", "yes")
		if final {
			req.Header.Set("X-Goog-Hash", "crc32c="+encodeCRC(w.crc))
		}
		res, err := w.b.c.http.Do(req)
		if err != nil {
			return nil, err
		}
		if res.StatusCode/100 != 2 && res.StatusCode != http.StatusPermanentRedirect {
			return nil, errorOf("upload", res)
		}
		return res, nil
	})
	if err != nil {
		return err
	}
	incomplete := res.StatusCode == http.StatusPermanentRedirect || res.Header.Get("X-Http-Status-Code-Override") == "308"
	if final {
		if incomplete {
			drain(res)
			return errors.New("objectstore: the last chunk left the upload incomplete")
		}
		defer res.Body.Close()
		return w.created(res.Body)
	}
	drain(res)
	if !incomplete {
		return errors.New("objectstore: the upload ended before its last chunk")
	}
	w.off += int64(w.n)
	w.n = 0
	return nil
}

// created reads the created object's generation and size from the
// answer's body.
func (w *Writer) created(body io.Reader) error {
	defer func() { _, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10)) }()
	var o struct {
		Generation json.RawMessage `json:"generation"`
		Size       json.RawMessage `json:"size"`
	}
	if err := json.NewDecoder(io.LimitReader(body, 1<<20)).Decode(&o); err != nil {
		return fmt.Errorf("objectstore: created object: %w", err)
	}
	gen, err1 := int64Of(o.Generation)
	size, err2 := int64Of(o.Size)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("objectstore: created object: %w", err)
	}
	w.attrs = ObjectAttrs{Generation: gen, Size: size}
	return nil
}

// int64Of reads an int64 the JSON API sends as a string (or a number).
func int64Of(raw json.RawMessage) (int64, error) {
	return strconv.ParseInt(strings.Trim(string(raw), `"`), 10, 64)
}

// encodeCRC is the base64 of the big-endian CRC32C (the API's form).
func encodeCRC(c uint32) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], c)
	return base64.StdEncoding.EncodeToString(b[:])
}
