// ctnn/ctnn.hpp - everything but io: include this one header to use all of ctnn. Smaller sets:
// ctnn/inference.hpp (predict only) and ctnn/training.hpp (train and evaluate). The readers in
// ctnn/io/ and the .npz import (ctnn/serialize/npz.hpp) are included one by one: they need zlib
// through the ctnn::io target.
#pragma once

#include "ctnn/training.hpp"

#include "ctnn/kernels/dense_backward.hpp"
#include "ctnn/kernels/dense_forward.hpp"

#include "ctnn/serialize/architecture.hpp"
#include "ctnn/serialize/export_header.hpp"
#include "ctnn/serialize/npy.hpp"
#include "ctnn/serialize/weights_file.hpp"

#include "ctnn/workflow/workflow.hpp"
