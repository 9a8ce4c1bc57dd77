// Tests ctnn/core/shape.hpp: rank, size, extents, row-major strides, concat, batch and flatten,
// for ranks 0 to 5, all at compile time; and its printed form, (28, 28) as NumPy writes it.
#include "ctnn/core/shape.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <sstream>
#include <type_traits>

using namespace ctnn;

// Rank 0: a scalar, one element, no axes.
static_assert(shape<>::rank == 0);
static_assert(shape<>::size == 1);
static_assert(shape<>::strides.empty());

// Rank 1 to 5.
static_assert(shape<784>::rank == 1 && shape<784>::size == 784);
static_assert(shape<784>::strides == std::array<std::size_t, 1>{1});
static_assert(shape<28, 28>::rank == 2 && shape<28, 28>::size == 784);
static_assert(shape<28, 28>::strides == std::array<std::size_t, 2>{28, 1});
static_assert(shape<2, 3, 5>::rank == 3 && shape<2, 3, 5>::size == 30);
static_assert(shape<2, 3, 5>::strides == std::array<std::size_t, 3>{15, 5, 1});
static_assert(shape<2, 3, 5>::extents == std::array<std::size_t, 3>{2, 3, 5});
static_assert(shape<2, 3, 5>::extent(1) == 3);
static_assert(shape<1, 3, 1, 17>::rank == 4 && shape<1, 3, 1, 17>::size == 51);
static_assert(shape<1, 3, 1, 17>::strides == std::array<std::size_t, 4>{51, 17, 17, 1});
static_assert(shape<2, 1, 3, 2, 5>::rank == 5 && shape<2, 1, 3, 2, 5>::size == 60);
static_assert(shape<2, 1, 3, 2, 5>::strides == std::array<std::size_t, 5>{30, 30, 10, 5, 1});
static_assert(max_rank == 5);

// The concept.
static_assert(static_shape<shape<>>);
static_assert(static_shape<shape<3, 3>>);
static_assert(!static_shape<int>);
static_assert(!static_shape<std::array<std::size_t, 2>>);

// Concatenation, batching and flattening.
static_assert(std::is_same_v<concat_shapes_t<shape<2, 3>, shape<5>>, shape<2, 3, 5>>);
static_assert(std::is_same_v<concat_shapes_t<shape<>, shape<7>>, shape<7>>);
static_assert(std::is_same_v<concat_shapes_t<shape<7>, shape<>>, shape<7>>);
static_assert(std::is_same_v<concat_shapes_t<shape<>, shape<>>, shape<>>);
static_assert(std::is_same_v<batch_shape_t<32, shape<784>>, shape<32, 784>>);
static_assert(std::is_same_v<batch_shape_t<4, shape<>>, shape<4>>);
static_assert(std::is_same_v<flat_shape_t<shape<28, 28>>, shape<784>>);
static_assert(std::is_same_v<flat_shape_t<shape<>>, shape<1>>);
static_assert(std::is_same_v<flat_shape_t<shape<2, 1, 3, 2, 5>>, shape<60>>);

BOOST_AUTO_TEST_SUITE(shape_test)

BOOST_AUTO_TEST_CASE(strides_address_every_element_once) {
    // Row-major: walking the multi-indices in order visits offsets 0, 1, 2, ... exactly.
    using S = shape<2, 3, 4>;
    std::size_t expected = 0;
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            for (std::size_t k = 0; k < 4; ++k)
                BOOST_TEST(i * S::strides[0] + j * S::strides[1] + k * S::strides[2] == expected++);
    BOOST_TEST(expected == S::size);
}

BOOST_AUTO_TEST_CASE(prints_as_numpy_prints_a_shape) {
    std::ostringstream out;
    out << shape<28, 28>{} << ' ' << shape<784>{} << ' ' << shape<>{} << ' ' << shape<2, 1, 3>{};
    BOOST_TEST(out.str() == "(28, 28) (784,) () (2, 1, 3)");
}

BOOST_AUTO_TEST_SUITE_END()
