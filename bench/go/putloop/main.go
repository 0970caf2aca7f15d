// The Go clientv3 reference of bench/lean-vs-go.sh: N goroutines putting 256-byte keys and 1 KiB values for a duration, as etcd's own benchmark tool does.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
)

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:2379", "client URL")
	clients := flag.Int("clients", 500, "concurrent goroutines")
	conns := flag.Int("conns", 1, "gRPC connections the goroutines share")
	duration := flag.Duration("duration", 20*time.Second, "how long to put")
	keySize := flag.Int("key-size", 256, "key bytes")
	valSize := flag.Int("val-size", 1024, "value bytes")
	prefix := flag.String("prefix", "/bench-go/", "key prefix")
	flag.Parse()

	cs := make([]*clientv3.Client, *conns)
	for i := range cs {
		c, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: 5 * time.Second})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		cs[i] = c
	}
	value := make([]byte, *valSize)
	rand.Read(value)
	var done, failed int64
	lat := make([][]time.Duration, *clients)
	deadline := time.Now().Add(*duration)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := cs[w%len(cs)]
			r := rand.New(rand.NewSource(int64(w)))
			key := make([]byte, *keySize)
			copy(key, *prefix)
			for i := len(*prefix); i < len(key); i++ {
				key[i] = 'x'
			}
			for time.Now().Before(deadline) {
				k := fmt.Sprintf("%sk%08x", *prefix, r.Intn(100000))
				copy(key, k)
				t := time.Now()
				_, err := c.Put(context.Background(), string(key), string(value))
				if err != nil {
					atomic.AddInt64(&failed, 1)
					continue
				}
				lat[w] = append(lat[w], time.Since(t))
				atomic.AddInt64(&done, 1)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p/100*float64(len(all)-1))].Microseconds())
	}
	cs[0].Delete(context.Background(), *prefix, clientv3.WithPrefix())
	for _, c := range cs {
		c.Close()
	}
	json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"requests": done, "errors": failed, "durationSec": elapsed, "ratePerSec": float64(done) / elapsed,
		"latencyUs": map[string]float64{"p50": pct(50), "p90": pct(90), "p99": pct(99), "p99.9": pct(99.9), "max": pct(100)},
	})
}
