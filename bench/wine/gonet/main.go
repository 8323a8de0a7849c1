// Command gonet: the Wine benchmark through Go's own net package
// (bench/wine/bench_wine.h; docs/bench.md "Performance on Wine").
//
//	gonet pingpong N   N round trips of a 64-byte message over loopback TCP
//	gonet bulk M       M MiB from one end to the other in 64 KiB writes
//
// It prints the line the C programs print: "pingpong N SECONDS" or
// "bulk M SECONDS", timed around the exchange only.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"
)

const msgLen = 64
const chunk = 65536

func die(what string, err error) {
	fmt.Fprintf(os.Stderr, "gonet: %s: %v\n", what, err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "pingpong" && os.Args[1] != "bulk") {
		fmt.Fprintln(os.Stderr, "usage: gonet pingpong N | bulk MIB")
		os.Exit(64)
	}
	count, err := strconv.ParseInt(os.Args[2], 10, 64)
	if err != nil {
		die("count", err)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		die("listen", err)
	}
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		die("dial", err)
	}
	s, err := ln.Accept()
	if err != nil {
		die("accept", err)
	}
	bulk := os.Args[1] == "bulk"
	done := make(chan struct{})
	t0 := time.Now()
	go func() {
		defer close(done)
		if bulk {
			buf := make([]byte, chunk)
			for left := count << 20; left > 0; {
				n, err := s.Read(buf)
				if err != nil {
					die("server read", err)
				}
				left -= int64(n)
			}
			if _, err := s.Write([]byte{'k'}); err != nil {
				die("server ack", err)
			}
			return
		}
		msg := make([]byte, msgLen)
		for i := int64(0); i < count; i++ {
			if _, err := io.ReadFull(s, msg); err != nil {
				die("server read", err)
			}
			if _, err := s.Write(msg); err != nil {
				die("server write", err)
			}
		}
	}()
	if bulk {
		buf := make([]byte, chunk)
		for sent := int64(0); sent < count<<20; sent += chunk {
			if _, err := c.Write(buf); err != nil {
				die("client write", err)
			}
		}
		ack := make([]byte, 1)
		if _, err := io.ReadFull(c, ack); err != nil {
			die("client ack", err)
		}
	} else {
		msg := bytes.Repeat([]byte{'x'}, msgLen)
		back := make([]byte, msgLen)
		for i := int64(0); i < count; i++ {
			if _, err := c.Write(msg); err != nil {
				die("client write", err)
			}
			if _, err := io.ReadFull(c, back); err != nil {
				die("client read", err)
			}
			if !bytes.Equal(msg, back) {
				die("echo compare", fmt.Errorf("mismatch"))
			}
		}
	}
	t1 := time.Now()
	<-done
	fmt.Printf("%s %d %.6f\n", os.Args[1], count, t1.Sub(t0).Seconds())
	c.Close()
	s.Close()
	ln.Close()
}
