// ctnn/simd/simd.hpp - the whole simd layer.
#pragma once

#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/simd/fast_math.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"
#include "ctnn/simd/vector_loop.hpp"
