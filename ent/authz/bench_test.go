package authz

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// A county-sized tree: tenants × (6 grades × 5 classes).
func benchTree(tb testing.TB, tenants int) (*Enforcer, map[string]string) {
	e := New()
	parent := map[string]string{} // the baseline's own copy of the tree
	for t := 1; t <= tenants; t++ {
		school := Node(NodeSchool, t)
		var links [][2]string
		for g := 0; g < 6; g++ {
			grade := Node(NodeGrade, t*100+g)
			links = append(links, [2]string{school, grade})
			parent[grade] = school
			for c := 0; c < 5; c++ {
				class := Node(NodeClass, t*1000+g*10+c)
				links = append(links, [2]string{grade, class})
				parent[class] = grade
			}
		}
		if err := e.SetTree(t, links); err != nil {
			tb.Fatal(err)
		}
	}
	return e, parent
}

// baseline is the same decision hand-written with maps: the catalog closure and a walk up the tree.
type baseline struct {
	perms  map[string]bool // role|obj|act, with inherited roles expanded
	parent map[string]string
}

func newBaseline(parent map[string]string) *baseline {
	inherits := map[string][]string{}
	b := &baseline{perms: map[string]bool{}, parent: parent}
	var direct [][]string
	for _, l := range CatalogLines() {
		if l[0] == "g" {
			inherits[l[1]] = append(inherits[l[1]], l[2])
		} else {
			direct = append(direct, l)
		}
	}
	var expand func(role string) []string
	expand = func(role string) []string {
		out := []string{role}
		for _, r := range inherits[role] {
			out = append(out, expand(r)...)
		}
		return out
	}
	for _, r := range AllRoles {
		for _, inh := range expand(string(r)) {
			for _, p := range direct {
				if p[1] == inh {
					b.perms[string(r)+"|"+p[2]+"|"+p[3]] = true
				}
			}
		}
	}
	return b
}

func (b *baseline) permits(g Grant, node, obj, act string) bool {
	if !b.perms[string(g.Role)+"|"+obj+"|"+act] {
		return false
	}
	for n := node; n != ""; n = b.parent[n] {
		if n == g.Node {
			return true
		}
	}
	return false
}

// TestBenchTable prints the figures when BENCH=1 (make bench): Enforce at 1,000 tenants × 30
// classes, uncached and cached, and scope resolution for a grade leader, as ratios to the hand-written
// baseline measured in the same run.
func TestBenchTable(t *testing.T) {
	if os.Getenv("BENCH") == "" {
		t.Skip("set BENCH=1 (make bench)")
	}
	const tenants = 1000
	e, parent := benchTree(t, tenants)
	base := newBaseline(parent)
	g := Grant{Role: GradeLeader, TenantID: 500, Node: Node(NodeGrade, 500*100+2)}
	in, out := Node(NodeClass, 500*1000+23), Node(NodeClass, 500*1000+41)
	if !e.Permits(g, 500, in, ObjStudent, ActRead) || e.Permits(g, 500, out, ObjStudent, ActRead) ||
		!base.permits(g, in, ObjStudent, ActRead) || base.permits(g, out, ObjStudent, ActRead) {
		t.Fatal("casbin and the baseline disagree")
	}
	measure := func(f func()) float64 {
		r := testing.Benchmark(func(b *testing.B) {
			for b.Loop() {
				f()
			}
		})
		return float64(r.T.Nanoseconds()) / float64(r.N)
	}
	baseNs := measure(func() { base.permits(g, in, ObjStudent, ActRead); base.permits(g, out, ObjStudent, ActRead) }) / 2
	uncached := measure(func() { e.Permits(g, 500, in, ObjStudent, ActRead); e.Permits(g, 500, out, ObjStudent, ActRead) }) / 2
	dom := Domain(500)
	matcher := measure(func() {
		_, _ = e.ce.Load().Enforce(g.Node, string(g.Role), dom, in, ObjStudent, ActRead)
		_, _ = e.ce.Load().Enforce(g.Node, string(g.Role), dom, out, ObjStudent, ActRead)
	}) / 2
	scope := measure(func() { e.Below(500, g.Node) })
	children := map[string][]string{} // the baseline's index of the tree
	for child, p := range parent {
		children[p] = append(children[p], child)
	}
	baseScope := measure(func() { _ = append([]string(nil), children[g.Node]...) })
	var b strings.Builder
	fmt.Fprintf(&b, "\nauthz at %d tenants × 30 classes (%d tree links)\n", tenants, tenants*36)
	fmt.Fprintf(&b, "%-52s %12s %10s %12s\n", "measure", "per op", "× baseline", "goal")
	row := func(name string, ns, baseNs float64, goal string) {
		fmt.Fprintf(&b, "%-52s %10.2fµs %10.1f %12s\n", name, ns/1000, ns/baseNs, goal)
	}
	row("baseline: hand-written maps", baseNs, baseNs, "")
	row("Enforce (catalog from Casbin + g2 tree), no cache", uncached, baseNs, "< 30 µs")
	row("Casbin full matcher per call (for comparison)", matcher, baseNs, "")
	row("baseline: a grade's classes from a hand-built index", baseScope, baseScope, "")
	row("scope of a grade leader (Casbin g2)", scope, baseScope, "< 1000 µs")
	t.Log(b.String())
	if uncached > 30_000 {
		t.Errorf("uncached Enforce %.1f µs, goal < 30 µs", uncached/1000)
	}
	if scope > 1_000_000 {
		t.Errorf("scope resolution %.1f µs, goal < 1 ms", scope/1000)
	}
}
