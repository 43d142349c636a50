// Keeps itsim_verif a valid library while its folders are empty.
namespace itsim { namespace verif_detail { int placeholder = 0; } }
