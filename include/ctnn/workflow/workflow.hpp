// ctnn/workflow/workflow.hpp - every validation protocol: include this for splits (hold-out,
// k-fold, iterated and time-ordered, stratified), cross_validate and the redundancy check, and
// for hyperparameter search (grid, random, and over network types) on a pool of threads.
#pragma once

#include "ctnn/workflow/architecture_search.hpp"
#include "ctnn/workflow/cross_validation.hpp"
#include "ctnn/workflow/grid_search.hpp"
#include "ctnn/workflow/random_search.hpp"
#include "ctnn/workflow/redundancy.hpp"
#include "ctnn/workflow/search_space.hpp"
#include "ctnn/workflow/split.hpp"
#include "ctnn/util/thread_pool.hpp"
