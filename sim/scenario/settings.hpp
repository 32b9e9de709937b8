// The enumerated server and workload settings of a scenario, with the words
// scenario files use for them (words.hpp), in the order the schema lists them.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "sim/scenario/words.hpp"

namespace failsim::sim {

// What NVRAM logs per change: the request (logical logging) or the images of
// the blocks it modified (physical logging).
enum class NvramLogMode : std::uint8_t { request, block };
// When a change is acknowledged: once logged in NVRAM and mirrored, or after
// the CP that writes it to disk.
enum class AckPoint : std::uint8_t { nvram, disk };
// When a repaired node gets its aggregates back.
enum class GivebackMode : std::uint8_t { automatic, at, never };
// How a plex protects its blocks: plain striping, RAID-4 (one XOR parity
// disk per group) or RAID-DP (row and diagonal parity, two disks per group).
enum class RaidLevel : std::uint8_t { none, raid4, raid_dp };
// Closed loop: one request outstanding per client; open: Poisson arrivals.
enum class ClientLoop : std::uint8_t { closed, open };
// Each client in a tree of its own, or all in one.
enum class NamespaceMode : std::uint8_t { private_tree, shared_tree };
// Paths drawn from a few names (collisions and errors are common), or, for
// most changes, paths the client's own earlier changes made valid.
enum class PathChoice : std::uint8_t { random, valid };

inline constexpr std::array<Word<NvramLogMode>, 2> log_mode_words = {{{NvramLogMode::request, "request"}, {NvramLogMode::block, "block"}}};
inline constexpr std::array<Word<AckPoint>, 2> ack_point_words = {{{AckPoint::nvram, "nvram"}, {AckPoint::disk, "disk"}}};
inline constexpr std::array<Word<GivebackMode>, 3> giveback_mode_words = {
    {{GivebackMode::automatic, "auto"}, {GivebackMode::at, "at"}, {GivebackMode::never, "never"}}};
inline constexpr std::array<Word<RaidLevel>, 3> raid_level_words = {
    {{RaidLevel::none, "none"}, {RaidLevel::raid4, "raid4"}, {RaidLevel::raid_dp, "raid_dp"}}};
inline constexpr std::array<Word<ClientLoop>, 2> client_loop_words = {
    {{ClientLoop::closed, "closed"}, {ClientLoop::open, "open"}}};
inline constexpr std::array<Word<NamespaceMode>, 2> namespace_mode_words = {
    {{NamespaceMode::private_tree, "private"}, {NamespaceMode::shared_tree, "shared"}}};
inline constexpr std::array<Word<PathChoice>, 2> path_choice_words = {
    {{PathChoice::random, "random"}, {PathChoice::valid, "valid"}}};

constexpr std::span<const Word<NvramLogMode>> words_of(NvramLogMode) { return log_mode_words; }
constexpr std::span<const Word<AckPoint>> words_of(AckPoint) { return ack_point_words; }
constexpr std::span<const Word<GivebackMode>> words_of(GivebackMode) { return giveback_mode_words; }
constexpr std::span<const Word<RaidLevel>> words_of(RaidLevel) { return raid_level_words; }
constexpr std::span<const Word<ClientLoop>> words_of(ClientLoop) { return client_loop_words; }
constexpr std::span<const Word<NamespaceMode>> words_of(NamespaceMode) { return namespace_mode_words; }
constexpr std::span<const Word<PathChoice>> words_of(PathChoice) { return path_choice_words; }

}  // namespace failsim::sim
