package com.example.dailynews.ui.privacy

import android.content.Context
import android.os.Bundle
import android.text.SpannableStringBuilder
import android.text.Spanned
import android.text.method.LinkMovementMethod
import android.text.style.ClickableSpan
import android.view.LayoutInflater
import android.view.View
import android.view.ViewGroup
import androidx.core.os.bundleOf
import androidx.fragment.app.DialogFragment
import com.example.dailynews.R
import com.example.dailynews.core.privacy.PrivacyStore
import com.example.dailynews.core.privacy.SdkBootstrap
import com.example.dailynews.databinding.DialogPrivacyConsentBinding
import com.google.android.material.dialog.MaterialAlertDialogBuilder

/**
 * First-run privacy dialog: a summary of what is collected and why, links to the full Privacy
 * Policy and User Agreement, and equal "Disagree" / "Agree" buttons.
 *
 * Disagree → a second explanation → "Browse in basic mode" (news without any data collection).
 * The app never closes because the user declined.
 */
class PrivacyConsentDialog : DialogFragment() {

    interface Listener {
        fun onConsentResult(agreed: Boolean)
    }

    private var _binding: DialogPrivacyConsentBinding? = null
    private val binding get() = _binding!!

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        isCancelable = false
    }

    override fun onCreateView(inflater: LayoutInflater, container: ViewGroup?, savedInstanceState: Bundle?): View {
        _binding = DialogPrivacyConsentBinding.inflate(inflater, container, false)
        return binding.root
    }

    override fun onViewCreated(view: View, savedInstanceState: Bundle?) {
        super.onViewCreated(view, savedInstanceState)
        val policyUpdated = requireArguments().getBoolean(ARG_POLICY_UPDATED)
        binding.title.setText(if (policyUpdated) R.string.privacy_dialog_title_updated else R.string.privacy_dialog_title)
        binding.summary.setText(R.string.privacy_dialog_summary)
        binding.links.text = linkText(requireContext())
        binding.links.movementMethod = LinkMovementMethod.getInstance()

        binding.agreeButton.setOnClickListener {
            val context = requireContext().applicationContext
            PrivacyStore.setAgreed(context, true)
            SdkBootstrap.initAll(context)
            deliverResult(agreed = true)
        }
        binding.disagreeButton.setOnClickListener { showSecondChance() }
    }

    private fun showSecondChance() {
        MaterialAlertDialogBuilder(requireContext())
            .setTitle(R.string.privacy_second_title)
            .setMessage(R.string.privacy_second_message)
            .setCancelable(false)
            .setPositiveButton(R.string.privacy_second_review, null) // back to the policy dialog
            .setNegativeButton(R.string.privacy_basic_mode) { _, _ ->
                PrivacyStore.setBasicMode(requireContext(), true)
                deliverResult(agreed = false)
            }
            .show()
    }

    private fun deliverResult(agreed: Boolean) {
        (activity as? Listener)?.onConsentResult(agreed)
        dismissAllowingStateLoss()
    }

    private fun linkText(context: Context): CharSequence {
        val policy = context.getString(R.string.privacy_policy_name)
        val terms = context.getString(R.string.user_agreement_name)
        val text = context.getString(R.string.privacy_dialog_links, policy, terms)
        return SpannableStringBuilder(text).apply {
            linkify(text, policy, PolicyActivity.DOC_PRIVACY_POLICY)
            linkify(text, terms, PolicyActivity.DOC_USER_AGREEMENT)
        }
    }

    private fun SpannableStringBuilder.linkify(text: String, label: String, document: String) {
        val start = text.indexOf(label).takeIf { it >= 0 } ?: return
        setSpan(object : ClickableSpan() {
            override fun onClick(widget: View) {
                startActivity(PolicyActivity.intent(widget.context, document))
            }
        }, start, start + label.length, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE)
    }

    override fun onDestroyView() {
        super.onDestroyView()
        _binding = null
    }

    companion object {
        const val TAG = "privacy_consent"
        private const val ARG_POLICY_UPDATED = "policy_updated"

        fun newInstance(policyUpdated: Boolean) = PrivacyConsentDialog().apply {
            arguments = bundleOf(ARG_POLICY_UPDATED to policyUpdated)
        }
    }
}
