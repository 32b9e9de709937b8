// The overload set for std::visit over the core's events and actions.
#pragma once

namespace failsim::sim {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace failsim::sim
