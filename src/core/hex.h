#pragma once

// Bytes written as lowercase hexadecimal text: the form in which digests, salts, session
// tokens and upload names are kept and shown. Pure; safe from any thread.

#include <cstdint>
#include <span>
#include <string>

namespace roster {

// Two lowercase hex digits per byte, in order ("00ff" for {0x00, 0xff}).
std::string ToHex(std::span<const uint8_t> bytes);

}  // namespace roster
