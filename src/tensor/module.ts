/**
 * `Module`: a layer that owns parameters and sub-layers as plain fields, PyTorch style. Parameters
 * are the fields holding tensors that require a gradient; sub-modules are fields holding a Module or
 * an array of Modules. Names follow the field path (`layers.0.attn.wq.weight`), in declaration order,
 * so `namedParameters()` is stable and is what optimizers and serialization key on.
 */

import { Tensor } from './tensor.js';

export abstract class Module {
  /** Training mode (dropout active). Set through train() / eval(), which recurse. */
  training = true;

  /** Direct sub-modules with their field names (arrays give `name.i`). */
  namedChildren(): [string, Module][] {
    const children: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) children.push([key, value]);
      else if (Array.isArray(value)) value.forEach((item: unknown, i) => item instanceof Module && children.push([`${key}.${i}`, item]));
    }
    return children;
  }

  /** Every parameter of this module and its sub-modules, by dotted path. */
  namedParameters(): [string, Tensor][] {
    const own: [string, Tensor][] = Object.entries(this).filter((e): e is [string, Tensor] => e[1] instanceof Tensor && e[1].requiresGrad);
    const nested = this.namedChildren().flatMap(([prefix, child]) => child.namedParameters().map(([name, t]): [string, Tensor] => [`${prefix}.${name}`, t]));
    return [...own, ...nested];
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.parameters().reduce((s, t) => s + t.size, 0);
  }

  train(mode = true): this {
    this.training = mode;
    for (const [, child] of this.namedChildren()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const t of this.parameters()) t.zeroGrad();
  }
}
