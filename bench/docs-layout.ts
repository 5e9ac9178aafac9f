// How long `docs generate` takes to lay out the lineage graph of a large project (the browser only
// draws). `npm run build && node dist/bench/docs-layout.js [nodes...]`.
import { layoutGraph } from '../core/docs/layout.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
let seed = 1;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
for (const n of sizes.length ? sizes : [300, 2000, 5000]) {
  const nodes = Array.from({ length: n }, (_x, i) => ({ id: `n${i}`, label: `model_name_${i}` }));
  const edges: Array<[string, string]> = [];
  for (let i = 1; i < n; i++) for (let k = 0; k < 2; k++) edges.push([`n${Math.floor(rnd() * i * 0.9)}`, `n${i}`]);
  const times: number[] = [];
  let aspect = 0;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const l = layoutGraph(nodes, edges);
    times.push(performance.now() - t);
    aspect = l.width / l.height;
  }
  console.log(`${n} nodes, ${edges.length} edges: layout ${Math.min(...times).toFixed(0)} ms (best of 3), aspect ${aspect.toFixed(2)}`);
}
