// ctnn/core/core.hpp - the whole core layer: static shapes, aligned tensors, element-wise
// expression templates (map, zip, + - * /), reductions, dot and transpose.
#pragma once

#include "ctnn/core/broadcast.hpp"
#include "ctnn/core/dot.hpp"
#include "ctnn/core/evaluate.hpp"
#include "ctnn/core/expression.hpp"
#include "ctnn/core/map.hpp"
#include "ctnn/core/operators.hpp"
#include "ctnn/core/reduce.hpp"
#include "ctnn/core/shape.hpp"
#include "ctnn/core/tensor.hpp"
#include "ctnn/core/transpose.hpp"
#include "ctnn/core/zip.hpp"
